package dev.weir.cli;

import dev.weir.compiler.simulate.Connection;
import dev.weir.compiler.simulate.Hop;
import dev.weir.compiler.simulate.Simulator;
import dev.weir.compiler.simulate.Target;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** weir trace: one connection hop by hop, each verdict explained from what the program itself reported. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Follow one new connection through the compiled programs: each hop's verdict and the rule or default behind it.")
final class TraceCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "PATH",
            description = "A YAML file or a folder of them: Namespaces, Pods and NetworkPolicies.")
    Path path;

    @Option(names = "--from", required = true, paramLabel = "NS/POD|IPv4", description = "The client: a pod, by name or by its address, or an address outside the cluster.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "NS/POD|IPv4", description = "The server: a pod, by name or by its address, or an address outside the cluster.")
    String to;

    @Mixin
    ProbeOptions probe;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CompiledInput input = CompiledInput.load(path, spec.commandLine().getErr());
        TraceEnd client = TraceEnd.parse(from, input.cluster()), server = TraceEnd.parse(to, input.cluster());
        for (TraceEnd end : List.of(client, server)) {
            if (end.note() != null) {
                out.println(end.note());
            }
        }
        try (var simulator = new Simulator(input.compiled(), probe.engine.open(input.compiled()))) {
            print(simulator.connect(client.target(), server.target(), probe.port, probe.protocol), out);
        }
        return 0;
    }

    /** The hops, then the verdict: {@code connection x/a -> x/b TCP/80: ALLOWED} or {@code BLOCKED at <hop>}. */
    static void print(Connection connection, PrintWriter out) {
        for (Target end : List.of(connection.from(), connection.to())) {
            if (end instanceof Target.Address) {
                out.println("(" + end + " is outside the cluster: no Weir program runs on its side)");
            }
        }
        var steps = new ArrayList<Map.Entry<String, Hop>>();
        connection.request().forEach(hop -> steps.add(Map.entry("request", hop)));
        connection.reply().forEach(hop -> steps.add(Map.entry("reply", hop)));
        int podWidth = steps.stream().mapToInt(step -> step.getValue().pod().toString().length()).max().orElse(0);
        String blockedAt = null;
        for (var step : steps) {
            Hop hop = step.getValue();
            String direction = hop.direction().name().toLowerCase(Locale.ROOT);
            out.printf("%-8s %-" + podWidth + "s %-7s (%s): %s%n", step.getKey(), hop.pod(), direction, hop.program(), hop.explain());
            if (!hop.allowed() && blockedAt == null) {
                blockedAt = step.getKey() + " " + hop.pod() + " " + direction;
            }
        }
        String verdict = connection.allowed() ? "ALLOWED" : "BLOCKED at " + (blockedAt != null ? blockedAt : "the reply");
        out.println("connection " + connection.from() + " -> " + connection.to() + " " + connection.protocol() + "/"
                + connection.port() + ": " + verdict);
    }
}
