package dev.weir.compiler.compile;

import dev.weir.compiler.abi.LbMaps;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.services.Backend;
import dev.weir.compiler.services.Frontend;
import dev.weir.compiler.services.LoadBalanced;
import dev.weir.compiler.services.ServiceTable;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The load-balancing maps' contents for a Service table: frontends and backends (numbered in table order);
 * the image derives the Maglev rows from them when asked ({@link MaglevRows}). NodePort frontends (any node address) are the node
 * uplink's business, not a pod's, and are not in {@value LbMaps#SERVICES}.
 */
public final class ServiceMaps {
    private ServiceMaps() {}

    /** @return the sizes the image needs */
    static LbMaps.Sizes fill(MapImage image, ServiceTable table, int maglevSize, Consumer<String> warnings) {
        int nextBackend = 0, frontends = 0;
        Map<Integer, List<Frontend>> byService = table.frontends().stream().collect(Collectors.groupingBy(Frontend::service));
        for (LoadBalanced service : table.services()) {
            List<Frontend> own = byService.getOrDefault(service.id(), List.of());
            List<Backend> backends = usable(service, own, warnings);
            int first = nextBackend;
            for (Backend backend : backends) {
                image.put(LbMaps.BACKENDS, WeirMaps.u32(nextBackend++), LbMaps.backendValue(backend.address(), backend.port()));
            }
            int flags = service.affinitySeconds() > 0 ? LbMaps.FLAG_AFFINITY : 0;
            for (Frontend frontend : own) {
                if (frontend.kind() == Frontend.Kind.NODE_PORT) continue;
                image.put(LbMaps.SERVICES, LbMaps.serviceKey(frontend.address(), frontend.port(), frontend.protocol().number),
                        LbMaps.serviceValue(service.id(), backends.size(), flags, service.affinitySeconds(), first));
                frontends++;
            }
        }
        image.deriveMaglevRows(maglevSize);
        return new LbMaps.Sizes(table.services().size(), frontends, nextBackend, maglevSize, 0);
    }

    /**
     * The backends the datapath can serve. SCTP's checksum is a CRC32c over the whole packet, which the
     * kernel's incremental checksum helpers cannot update: an SCTP backend on another port than its Service's
     * is left out, with a warning, rather than sent packets it would discard.
     */
    private static List<Backend> usable(LoadBalanced service, List<Frontend> frontends, Consumer<String> warnings) {
        if (service.protocol() != Protocol.SCTP) return service.backends();
        var usable = new ArrayList<Backend>();
        for (Backend backend : service.backends()) {
            boolean samePort = frontends.stream().filter(f -> f.kind() != Frontend.Kind.NODE_PORT).allMatch(f -> f.port() == backend.port());
            if (samePort) usable.add(backend);
            else warnings.accept("Service " + service.service() + " port " + (service.portName().isEmpty() ? "" : service.portName() + " ")
                    + "(SCTP): backend " + Ipv4.text(backend.address()) + ":" + backend.port()
                    + " is left out: SCTP Service ports are only translated to the same port number");
        }
        return usable;
    }
}
