package dev.weir.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.simulate.Connection;
import dev.weir.compiler.simulate.Hop;
import dev.weir.compiler.simulate.Simulator;
import dev.weir.compiler.simulate.Target;
import dev.weir.compiler.simulate.Translation;
import dev.weir.compiler.services.ServiceTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    @Option(names = "--to", required = true, paramLabel = "NS/POD|svc:NS/NAME|IPv4",
            description = "The server: a pod, by name or by its address, a Service (svc:ns/name, its first cluster IP, at --port), or an address.")
    String to;

    @Mixin
    ProbeOptions probe;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "text|json",
            description = "Hop by hop in words, or one JSON object (default: ${DEFAULT-VALUE}).")
    Output output;

    enum Output { text, json }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        CompiledInput input = CompiledInput.load(path, spec.commandLine().getErr());
        var services = input.compiled().services();
        TraceEnd client = TraceEnd.client(from, input.cluster(), services);
        TraceEnd server = TraceEnd.server(to, input.cluster(), services, probe.port, probe.protocol);
        Connection connection;
        try (var simulator = new Simulator(input.compiled(), probe.engine.open(input.compiled()))) {
            connection = simulator.connect(client.target(), server.target(), probe.port, probe.protocol);
        }
        if (output == Output.json) {
            out.println(json(connection));
            return 0;
        }
        for (TraceEnd end : List.of(client, server)) {
            if (end.note() != null) {
                out.println(end.note());
            }
        }
        print(connection, services, out);
        return 0;
    }

    /**
     * {"from", "to", "protocol", "port", "allowed", then for a Service address "service", "backend" (ns/pod, or
     * the address when it is no pod's) and "backendPort", then "hops"}: the field order is part of the format.
     */
    static String json(Connection connection) throws JsonProcessingException {
        var document = new LinkedHashMap<String, Object>();
        document.put("from", connection.from().toString());
        document.put("to", connection.translation() == null ? connection.to().toString()
                : Ipv4.text(connection.translation().serviceAddress()));
        document.put("protocol", connection.protocol().name());
        document.put("port", connection.port());
        document.put("allowed", connection.allowed());
        Translation translation = connection.translation();
        if (translation != null) {
            document.put("service", Ipv4.text(translation.serviceAddress()) + ":" + translation.servicePort());
            document.put("backend", translation.backendPod() != null ? translation.backendPod().toString() : Ipv4.text(translation.backendAddress()));
            document.put("backendPort", translation.backendPort());
            document.put("replyFromService", translation.replyRestored());
        }
        var hops = new ArrayList<Map<String, Object>>();
        connection.request().forEach(hop -> hops.add(hop("request", hop)));
        connection.reply().forEach(hop -> hops.add(hop("reply", hop)));
        document.put("hops", hops);
        return new ObjectMapper().writeValueAsString(document);
    }

    private static Map<String, Object> hop(String leg, Hop hop) {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("leg", leg);
        fields.put("pod", hop.pod().toString());
        fields.put("direction", hop.direction().name().toLowerCase(Locale.ROOT));
        fields.put("program", hop.program());
        fields.put("allowed", hop.allowed());
        fields.put("reason", hop.reason().name());
        if (hop.policy() != null) fields.put("policy", hop.policy());
        if (hop.rule() >= 0) fields.put("rule", hop.rule());
        fields.put("explanation", hop.explain());
        return fields;
    }

    /** The hops, then the verdict: {@code connection x/a -> x/b TCP/80: ALLOWED} or {@code BLOCKED at <hop>}. */
    static void print(Connection connection, ServiceTable services, PrintWriter out) {
        for (Target end : List.of(connection.from(), connection.to())) {
            if (end instanceof Target.Address address && services.frontends().stream().noneMatch(f -> f.address() == address.ipv4())) {
                out.println("(" + end + " is outside the cluster: no Weir program runs on its side)");
            }
        }
        Translation translation = connection.translation();
        if (translation != null) {
            out.println("service  " + translation.explain() + " (chosen by the client's egress program"
                    + (connection.request().getFirst().allowed() ? ")" : ", whose policy then dropped it)"));
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
        String verdict = connection.allowed() ? "ALLOWED" : blockedAt != null ? "BLOCKED at " + blockedAt
                : translation != null && !translation.replyRestored() ? "BLOCKED: the reply did not come back from the Service address"
                : "BLOCKED at the reply";
        String to = translation == null ? connection.to().toString()
                : Ipv4.text(translation.serviceAddress()) + " (" + connection.to() + ")";
        out.println("connection " + connection.from() + " -> " + to + " " + connection.protocol() + "/"
                + connection.port() + ": " + verdict);
    }
}
