package dev.weir.cli;

import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.CompiledProgram;
import dev.weir.compiler.compile.NamespacePrograms;
import dev.weir.compiler.compile.PodEndpoint;
import dev.weir.datapath.asm.Disassembler;
import dev.weir.datapath.maps.MapSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** weir compile: what the policy compiler makes of a cluster: programs, identities, maps and their contents. */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Compile a cluster's NetworkPolicies to eBPF programs and map contents, and print them.")
final class CompileCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "PATH",
            description = "A YAML file or a folder of them: Namespaces, Pods and NetworkPolicies.")
    Path path;

    @Option(names = "--disassemble", description = "Also print each program's disassembly.")
    boolean disassemble;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // Refused policies are reported on stderr and left out; the others compiled, so this still succeeds
        CompiledCluster compiled = CompiledInput.load(path, spec.commandLine().getErr()).compiled();
        programs(compiled, out);
        identities(compiled, out);
        maps(compiled, out);
        if (disassemble) {
            disassembly(compiled, out);
        }
        return 0;
    }

    /**
     * Each program's listing from its symbolic code, the instructions its bytecode encodes, so that jumps
     * name their targets (allow_not_ip, ...) and loads name their maps.
     */
    static void disassembly(CompiledCluster compiled, PrintWriter out) {
        for (CompiledProgram program : compiled.programs().values()) {
            for (int k = 0; k < program.parts().size(); k++) {
                CompiledProgram.Part part = program.parts().get(k);
                out.printf("%n%s%s (%s, %d bytes of bytecode):%n%s", program.name(), program.split() ? " part " + k : "",
                        program.direction().name().toLowerCase(Locale.ROOT), part.spec().code().length(),
                        Disassembler.disassemble(part.code(), true));
            }
        }
    }

    static void programs(CompiledCluster compiled, PrintWriter out) {
        out.println("programs (" + compiled.programs().size() + "):");
        for (CompiledProgram program : compiled.programs().values()) {
            List<String> users = compiled.namespaces().values().stream()
                    .filter(ns -> program.name().equals(ns.program(program.direction())))
                    .map(NamespacePrograms::namespace).toList();
            out.printf("  %s  %-7s  %5d instructions%s  namespaces: %s%n", program.name(),
                    program.direction().name().toLowerCase(Locale.ROOT), program.instructions(),
                    program.split() ? " in " + program.parts().size() + " parts" : "", String.join(", ", users));
        }
    }

    static void identities(CompiledCluster compiled, PrintWriter out) {
        var identities = compiled.identities();
        out.println("identities (" + (identities.pods().size() + identities.prefixes().size()) + "):");
        identities.pods().forEach((labels, number) -> {
            List<String> pods = compiled.endpoints().values().stream().filter(e -> e.identity() == number)
                    .map(PodEndpoint::pod).map(Object::toString).toList();
            out.printf("  %5d  %s %s  pods: %s%n", number, labels.namespace(), labels.podLabels(), String.join(", ", pods));
        });
        identities.prefixes().forEach((cidr, number) -> out.printf("  %5d  prefix %s%n", number, cidr));
    }

    static void maps(CompiledCluster compiled, PrintWriter out) {
        out.println("maps:");
        int width = compiled.maps().stream().mapToInt(spec -> spec.name().length()).max().orElse(0);
        for (MapSpec map : compiled.maps()) {
            out.printf("  %-" + width + "s  %-8s  key %2d B  value %2d B  max %6d  entries %d%n", map.name(), map.type(),
                    map.keySize(), map.valueSize(), map.maxEntries(), compiled.contents().size(map.name()));
        }
        out.println("map contents:");
        var decoder = new MapContents(compiled);
        for (MapSpec map : compiled.maps()) {
            var entries = new ArrayList<String>();
            compiled.contents().entries(map.name()).forEach((key, value) -> entries.add(decoder.entry(map.name(), key, value)));
            out.println("  " + map.name() + (entries.isEmpty() ? " (empty)" : ":"));
            entries.forEach(entry -> out.println("    " + entry));
        }
    }
}
