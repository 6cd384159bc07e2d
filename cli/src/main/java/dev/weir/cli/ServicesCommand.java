package dev.weir.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.services.Backend;
import dev.weir.compiler.services.Frontend;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** weir services: what the compiler made of a cluster's Services, one line per Service port. */
@Command(name = "services", mixinStandardHelpOptions = true,
        description = "List each Service port as compiled: its frontends, the backends it balances over and its Maglev table's spread.")
final class ServicesCommand implements Callable<Integer> {
    enum Output { table, json }

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "PATH",
            description = "A YAML file or a folder of them: Services, EndpointSlices (else derived from Pods), Pods, ...")
    Path path;

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "table|json",
            description = "An aligned table or one JSON object (default: ${DEFAULT-VALUE}).")
    Output output;

    @Spec
    CommandSpec spec;

    static final List<String> HEADER = List.of("SERVICE", "PORT", "PROTOCOL", "FRONTENDS", "BACKENDS", "MAGLEV");

    @Override
    public Integer call() throws JsonProcessingException {
        CompiledCluster compiled = CompiledInput.load(path, spec.commandLine().getErr()).compiled();
        List<ServiceRow> rows = ServiceRow.of(compiled.services(), compiled.sizes().lb().maglev());
        PrintWriter out = spec.commandLine().getOut();
        if (output == Output.json) {
            out.println(json(rows));
        } else if (rows.isEmpty()) {
            spec.commandLine().getErr().println("weir: warning: no Services in " + path + " (headless and ExternalName Services are not load balanced)");
        } else {
            out.print(table(rows));
            out.flush(); // print, unlike println, does not flush an autoflushing writer
        }
        return 0;
    }

    /**
     * Columns padded with spaces to their widest cell, two apart, so that they line up in any terminal and
     * survive copying; lists inside a cell are comma-separated; "-" for an unnamed port or no backends.
     */
    static String table(List<ServiceRow> rows) {
        var cells = new ArrayList<List<String>>(List.of(HEADER));
        for (ServiceRow row : rows) {
            var service = row.service();
            cells.add(List.of(service.service().toString(), service.portName().isEmpty() ? "-" : service.portName(),
                    service.protocol().name(), String.join(",", row.frontends().stream().map(ServiceRow::text).toList()),
                    service.backends().isEmpty() ? "-" : String.join(",", service.backends().stream().map(ServiceRow::text).toList()),
                    "M=" + row.maglevSize() + (service.backends().isEmpty() ? " -" : " slots/backend " + row.minSlots() + ".." + row.maxSlots())));
        }
        int[] widths = new int[HEADER.size()];
        cells.forEach(line -> {
            for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], line.get(i).length());
        });
        var text = new StringBuilder();
        for (List<String> line : cells) {
            var row = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                row.append(line.get(i)).append(" ".repeat(widths[i] - line.get(i).length() + 2));
            }
            text.append(row.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    /**
     * {"services": [{"service", "port" (name, "" when unnamed), "protocol", "frontends": [{"kind", "address"
     * (null for a NodePort), "port"}], "backends": [{"pod" (or null), "address", "port"}], "maglev": {"size",
     * "minSlots", "maxSlots"}}]}: the field order is part of the format.
     */
    static String json(List<ServiceRow> rows) throws JsonProcessingException {
        var services = new ArrayList<Map<String, Object>>();
        for (ServiceRow row : rows) {
            var service = new LinkedHashMap<String, Object>();
            service.put("service", row.service().service().toString());
            service.put("port", row.service().portName());
            service.put("protocol", row.service().protocol().name());
            service.put("frontends", row.frontends().stream().map(ServicesCommand::frontend).toList());
            service.put("backends", row.service().backends().stream().map(ServicesCommand::backend).toList());
            var maglev = new LinkedHashMap<String, Object>();
            maglev.put("size", row.maglevSize());
            maglev.put("minSlots", row.minSlots());
            maglev.put("maxSlots", row.maxSlots());
            service.put("maglev", maglev);
            services.add(service);
        }
        return new ObjectMapper().writeValueAsString(Map.of("services", services));
    }

    private static Map<String, Object> frontend(Frontend frontend) {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("kind", switch (frontend.kind()) {
            case CLUSTER_IP -> "ClusterIP";
            case EXTERNAL_IP -> "ExternalIP";
            case LOAD_BALANCER -> "LoadBalancer";
            case NODE_PORT -> "NodePort";
        });
        fields.put("address", frontend.kind() == Frontend.Kind.NODE_PORT ? null : Ipv4.text(frontend.address()));
        fields.put("port", frontend.port());
        return fields;
    }

    private static Map<String, Object> backend(Backend backend) {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("pod", backend.pod() != null ? backend.pod().toString() : null);
        fields.put("address", Ipv4.text(backend.address()));
        fields.put("port", backend.port());
        return fields;
    }
}
