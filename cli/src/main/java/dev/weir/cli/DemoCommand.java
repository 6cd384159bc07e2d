package dev.weir.cli;

import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodPort;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.simulate.Connection;
import dev.weir.compiler.simulate.Datapath;
import dev.weir.compiler.simulate.Simulator;
import dev.weir.compiler.simulate.Target;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The quick start on an embedded default: the example shop (examples/shop) compiled, who can reach whom on
 * its ports, and one allowed and one blocked connection traced through the programs.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Compile the bundled example application's NetworkPolicies and show what they allow, from the compiled programs.")
final class DemoCommand implements Callable<Integer> {
    static final String EXAMPLE = "shop";
    /** The example's backend API and database: the two tiers its policies fence off. */
    static final List<Integer> EXAMPLE_PORTS = List.of(9000, 5432);

    @Option(names = {"-f", "--file"}, paramLabel = "PATH",
            description = "Your own cluster YAML (file or folder) instead of the bundled examples/" + EXAMPLE + ".")
    Path path;

    @Option(names = "--port", paramLabel = "N", converter = ProbeOptions.PortConverter.class,
            description = "TCP port(s) to tabulate (default: 9000 and 5432 for the example; else the first two ports the pods declare).")
    List<Integer> ports;

    @Option(names = "--disassemble", description = "Also print the programs' disassembly.")
    boolean disassemble;

    @Option(names = "--xdp", description = "The earlier demo instead: a hand-written policy-shaped XDP program and sample packets.")
    boolean xdp;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (xdp) {
            return XdpDemo.run(disassemble);
        }
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        CompiledInput input;
        if (path != null) {
            input = CompiledInput.load(path, err);
        } else {
            try (var example = EmbeddedExample.open(EXAMPLE)) {
                input = CompiledInput.load(example.folder(), err);
            }
        }
        summary(path != null ? path.toString() : "examples/" + EXAMPLE, input, out);
        if (disassemble) {
            CompileCommand.disassembly(input.compiled(), out);
        }
        List<Integer> tabulated = ports != null ? ports : path == null ? EXAMPLE_PORTS : declaredPorts(input.cluster());
        try (var simulator = new Simulator(input.compiled(), Datapath.interpreter(input.compiled()))) {
            for (int port : tabulated) {
                out.printf("%nWho can open a TCP connection to port %d? Rows are clients, columns servers; '.' allowed, 'X' blocked.%n", port);
                out.println(Reachability.probe(input.cluster(), simulator, port, Protocol.TCP, err).table());
            }
            if (!tabulated.isEmpty()) {
                traces(input.cluster(), simulator, tabulated.getFirst(), out);
            }
        }
        if (path == null) {
            out.printf("%nNext: bin/weir compile -f examples/shop --disassemble%n");
            out.printf("      bin/weir reachability -f examples/shop --port 9100 -o json%n");
            out.printf("      bin/weir trace -f examples/shop --from 203.0.113.9 --to shop/frontend-1 --port 8080%n");
            out.printf("      bin/weir services -f examples/shop%n");
            out.printf("      bin/weir trace -f examples/shop --from shop/frontend-1 --to svc:shop/backend --port 9000%n");
        }
        return 0;
    }

    private static void summary(String source, CompiledInput input, PrintWriter out) {
        ClusterState cluster = input.cluster();
        CompiledCluster compiled = input.compiled();
        out.printf("%s: %d namespaces, %d pods, %d NetworkPolicies compiled to %d eBPF programs (tc), %d identities, %d ipcache entries%n%n",
                source, cluster.namespaces().size(), cluster.pods().size(), cluster.policies().size(), compiled.programs().size(),
                compiled.identities().pods().size() + compiled.identities().prefixes().size(), compiled.contents().size(WeirMaps.IPCACHE));
        CompileCommand.programs(compiled, out);
        CompileCommand.identities(compiled, out);
    }

    /**
     * One allowed connection, and the blocked one that gets furthest before a program drops it; to a pod that
     * listens on the port where there is one, since those are the connections the policies are about.
     */
    private static void traces(ClusterState cluster, Simulator simulator, int port, PrintWriter out) {
        List<Connection> all = new ArrayList<>(), listening = new ArrayList<>();
        for (ClusterPod from : cluster.pods()) {
            for (ClusterPod to : cluster.pods()) {
                if (!from.equals(to) && simulator.hasAddress(from.ref()) && simulator.hasAddress(to.ref())) {
                    Connection connection = simulator.connect(Target.pod(from.ref()), Target.pod(to.ref()), port, Protocol.TCP);
                    all.add(connection);
                    if (to.ports().stream().anyMatch(p -> p.number() == port && p.protocol() == Protocol.TCP)) {
                        listening.add(connection);
                    }
                }
            }
        }
        List<Connection> candidates = listening.isEmpty() ? all : listening;
        Optional<Connection> allowed = candidates.stream().filter(Connection::allowed).findFirst();
        Optional<Connection> blocked = candidates.stream().filter(c -> !c.allowed())
                .max(Comparator.comparingInt(c -> c.request().size() + c.reply().size()));
        for (Connection connection : List.of(allowed, blocked).stream().flatMap(Optional::stream).toList()) {
            out.printf("%nweir trace --from %s --to %s --port %d%n", connection.from(), connection.to(), port);
            TraceCommand.print(connection, simulator.compiled().services(), out);
        }
    }

    /** The first two distinct TCP ports the pods' containers declare (80 when none does). */
    private static List<Integer> declaredPorts(ClusterState cluster) {
        var ports = new LinkedHashSet<Integer>();
        for (ClusterPod pod : cluster.pods()) {
            for (PodPort port : pod.ports()) {
                if (port.protocol() == Protocol.TCP) ports.add(port.number());
            }
        }
        return ports.isEmpty() ? List.of(80) : ports.stream().limit(2).toList();
    }
}
