package dev.weir.cli;

import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.services.Backend;
import dev.weir.compiler.services.Frontend;
import dev.weir.compiler.services.LoadBalanced;
import dev.weir.compiler.services.Maglev;
import dev.weir.compiler.services.ServiceTable;
import java.util.ArrayList;
import java.util.List;

/**
 * One Service port as {@code weir services} lists it: where clients reach it, the backends it sends them to,
 * and how evenly its Maglev table spreads them (each backend's share of the M slots; within one of M/N is
 * Maglev's promise).
 *
 * @param minSlots the fewest slots any backend has, 0 without backends
 * @param maxSlots the most slots any backend has, 0 without backends
 */
record ServiceRow(LoadBalanced service, List<Frontend> frontends, int maglevSize, int minSlots, int maxSlots) {

    /** A row per Service port, in the table's order (Services in input order, ports in spec order). */
    static List<ServiceRow> of(ServiceTable table, int maglevSize) {
        var rows = new ArrayList<ServiceRow>();
        for (LoadBalanced service : table.services()) {
            List<Frontend> frontends = table.frontends().stream().filter(f -> f.service() == service.id()).toList();
            int[] slots = new int[service.backends().size()];
            if (slots.length > 0) {
                for (int backend : Maglev.table(service.backends(), maglevSize)) slots[backend]++;
            }
            rows.add(new ServiceRow(service, frontends, maglevSize, java.util.Arrays.stream(slots).min().orElse(0),
                    java.util.Arrays.stream(slots).max().orElse(0)));
        }
        return rows;
    }

    /** "10.96.0.10:80", "192.0.2.1:80 (external)", "203.0.113.5:80 (LoadBalancer)", "NodePort 30080" */
    static String text(Frontend frontend) {
        String at = Ipv4.text(frontend.address()) + ":" + frontend.port();
        return switch (frontend.kind()) {
            case CLUSTER_IP -> at;
            case EXTERNAL_IP -> at + " (external)";
            case LOAD_BALANCER -> at + " (LoadBalancer)";
            case NODE_PORT -> "NodePort " + frontend.port();
        };
    }

    /** "shop/backend-1:9000", or the address when the backend is no pod: "192.0.2.7:9000" */
    static String text(Backend backend) {
        return (backend.pod() != null ? backend.pod().toString() : Ipv4.text(backend.address())) + ":" + backend.port();
    }
}
