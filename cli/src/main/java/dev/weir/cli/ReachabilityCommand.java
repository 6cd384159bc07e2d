package dev.weir.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.simulate.Simulator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** weir reachability: the pod-to-pod truth table of a cluster's policies, from the compiled programs. */
@Command(name = "reachability", mixinStandardHelpOptions = true,
        description = "For every ordered pair of pods, whether a new connection on the port is allowed, as the compiled programs decide.")
final class ReachabilityCommand implements Callable<Integer> {
    enum Output { table, json }

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "PATH",
            description = "A YAML file or a folder of them: Namespaces, Pods and NetworkPolicies.")
    Path path;

    @Mixin
    ProbeOptions probe;

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "table|json",
            description = "Upstream's truth table ('.' allowed, 'X' blocked; rows are sources) or JSON (default: ${DEFAULT-VALUE}).")
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        CompiledInput input = CompiledInput.load(path, err);
        Reachability reachability;
        try (var simulator = new Simulator(input.compiled(), probe.engine.open(input.compiled()))) {
            reachability = Reachability.probe(input.cluster(), simulator, probe.port, probe.protocol, err);
        }
        out.println(output == Output.json ? json(reachability) : reachability.table());
        return 0;
    }

    /** {"pods": [...], "allowed": [[...], ...]}: the field order is part of the format. */
    static String json(Reachability reachability) throws JsonProcessingException {
        var document = new LinkedHashMap<String, Object>();
        document.put("pods", reachability.pods().stream().map(PodRef::toString).toList());
        document.put("allowed", reachability.allowed());
        return new ObjectMapper().writeValueAsString(document);
    }
}
