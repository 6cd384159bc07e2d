package dev.weir.compiler.services;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The backends kube-proxy sends a Service port's new connections to (pkg/proxy's EndpointSliceCache and
 * CategorizeEndpoints): from every slice of the Service, the slice port of the Service port's name and protocol,
 * and each endpoint's first address at that port's number. An endpoint several slices list counts once (the
 * first slice's conditions). The ready ones are used; when none is, the serving terminating ones, so that
 * connections still find a backend while a rollout or scale-down drains the last pods.
 */
final class BackendSelection {

    /** Address order as the addresses read (10.0.0.9 before 192.168.0.1): compare host-order ints unsigned. */
    static final Comparator<Backend> ORDER = Comparator.<Backend, Integer>comparing(Backend::address, Integer::compareUnsigned)
            .thenComparingInt(Backend::port);

    private BackendSelection() {}

    static List<Backend> backends(List<ClusterEndpointSlice> slices, ServicePort port) {
        Map<Long, Candidate> candidates = new LinkedHashMap<>();
        for (ClusterEndpointSlice slice : slices) {
            for (ClusterEndpointSlice.Port slicePort : slice.ports()) {
                if (!slicePort.name().equals(port.name()) || slicePort.protocol() != port.protocol()) continue;
                for (ClusterEndpointSlice.Endpoint endpoint : slice.endpoints()) {
                    var backend = new Backend(endpoint.addresses().getFirst(), slicePort.port(), endpoint.pod(), endpoint.node());
                    candidates.putIfAbsent(key(backend), new Candidate(backend, endpoint));
                }
            }
        }
        List<Backend> ready = pick(candidates.values(), ClusterEndpointSlice.Endpoint::ready);
        return ready.isEmpty() ? pick(candidates.values(), endpoint -> endpoint.serving() && endpoint.terminating()) : ready;
    }

    private record Candidate(Backend backend, ClusterEndpointSlice.Endpoint endpoint) {}

    private static List<Backend> pick(Iterable<Candidate> candidates, Predicate<ClusterEndpointSlice.Endpoint> usable) {
        var picked = new ArrayList<Backend>();
        candidates.forEach(candidate -> {
            if (usable.test(candidate.endpoint())) picked.add(candidate.backend());
        });
        picked.sort(ORDER);
        return picked;
    }

    private static long key(Backend backend) {
        return (Integer.toUnsignedLong(backend.address()) << 16) | backend.port();
    }
}
