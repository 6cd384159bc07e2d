package dev.weir.compiler.compile;

import dev.weir.compiler.abi.LbMaps;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.services.Backend;
import dev.weir.compiler.services.Frontend;
import dev.weir.compiler.services.LoadBalanced;
import dev.weir.compiler.services.Maglev;
import dev.weir.compiler.services.ServiceTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * The load-balancing maps' contents for a Service table: frontends, backends (numbered in table order) and
 * one Maglev row per Service port that has backends. NodePort frontends (any node address) are the node
 * uplink's business, not a pod's, and are not in {@value LbMaps#SERVICES}.
 */
public final class ServiceMaps {
    private ServiceMaps() {}

    /** @return the sizes the image needs */
    static LbMaps.Sizes fill(MapImage image, ServiceTable table, int maglevSize, Consumer<String> warnings) {
        int nextBackend = 0, frontends = 0;
        for (LoadBalanced service : table.services()) {
            List<Frontend> own = table.frontends().stream().filter(f -> f.service() == service.id()).toList();
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
        maglevRows(image.entries(LbMaps.SERVICES), image.entries(LbMaps.BACKENDS), maglevSize)
                .forEach((key, row) -> image.put(LbMaps.MAGLEV, key, row));
        return new LbMaps.Sizes(table.services().size(), frontends, nextBackend, maglevSize, 0);
    }

    /**
     * The {@value LbMaps#MAGLEV} rows that the frontend and backend maps imply: for each Service port with
     * backends, the Maglev table of its backends (named by address and port), as backend ids. A node
     * computes them from the published maps; the compiler, for its own image, the same way.
     *
     * @param backends ordered by unsigned key bytes (as {@link MapImage#entries} are)
     */
    /**
     * Checks that every frontend's backends are there (published maps come from elsewhere).
     *
     * @throws IllegalArgumentException naming the first frontend that names a missing backend
     */
    public static void checkBackends(Map<byte[], byte[]> services, NavigableMap<byte[], byte[]> backends) {
        for (var entry : services.entrySet()) {
            var service = LbMaps.ServiceEntry.of(entry.getValue());
            for (long id = Integer.toUnsignedLong(service.firstBackend()); id < Integer.toUnsignedLong(service.firstBackend()) + service.backends(); id++) {
                if (!backends.containsKey(WeirMaps.u32((int) id))) {
                    throw new IllegalArgumentException("Service port " + service.id() + " names backend " + id + ", which is not in "
                            + LbMaps.BACKENDS);
                }
            }
        }
    }

    public static NavigableMap<byte[], byte[]> maglevRows(Map<byte[], byte[]> services, NavigableMap<byte[], byte[]> backends, int maglevSize) {
        checkBackends(services, backends);
        var rows = new TreeMap<byte[], byte[]>(Arrays::compareUnsigned);
        for (byte[] value : services.values()) {
            var service = LbMaps.ServiceEntry.of(value);
            byte[] key = WeirMaps.u32(service.id());
            if (service.backends() == 0 || rows.containsKey(key)) continue;
            var list = new ArrayList<Backend>();
            for (int id = service.firstBackend(); id < service.firstBackend() + service.backends(); id++) {
                byte[] entry = backends.get(WeirMaps.u32(id));
                var backend = LbMaps.BackendEntry.of(entry);
                list.add(new Backend(backend.ipv4(), backend.port(), null, null));
            }
            int[] table = Maglev.table(list, maglevSize);
            int[] ids = new int[table.length];
            for (int slot = 0; slot < table.length; slot++) ids[slot] = service.firstBackend() + table[slot];
            rows.put(key, LbMaps.maglevRow(ids));
        }
        return rows;
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
