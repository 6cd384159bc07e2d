package dev.weir.compiler.services;

import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.cluster.PodPort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The EndpointSlices Kubernetes' EndpointSlice controller would make for a Service with a selector, for input
 * that has the Services and Pods but not the slices (a hand-written snapshot, or {@code kubectl get} of pods
 * and services only). As upstream's reconciler: every pod of the Service's namespace whose labels match the
 * selector and that has an IPv4 address is an endpoint; its ports are the Service's ports, a named targetPort
 * resolved on that pod (a container port of that name and protocol) and left out of its port list when the pod
 * has none; pods with the same port list share slices of at most {@value #MAX_ENDPOINTS_PER_SLICE} endpoints.
 *
 * <p>Pods here are taken to be ready: the snapshot does not say otherwise, and terminated pods were already
 * left out. Slices are named {@code <service>-derived-<n>} (upstream names them randomly).
 */
public final class EndpointSliceController {

    /** The controller's default {@code --max-endpoints-per-slice}. */
    public static final int MAX_ENDPOINTS_PER_SLICE = 100;

    private EndpointSliceController() {}

    /** The cluster with the derived slices of these Services (selector by Service) added after its own. */
    public static ClusterState withDerivedSlices(ClusterState cluster, Map<ServiceRef, Map<String, String>> selectors) {
        if (selectors.isEmpty()) return cluster;
        Set<String> taken = new HashSet<>();
        cluster.endpointSlices().forEach(slice -> taken.add(slice.namespace() + "/" + slice.name()));
        ClusterState.Builder builder = cluster.toBuilder();
        for (ClusterService service : cluster.services()) {
            Map<String, String> selector = selectors.get(service.ref());
            if (selector != null) {
                slices(service, selector, cluster.pods(), taken).forEach(builder::endpointSlice);
            }
        }
        return builder.build();
    }

    /** The slices for the Service with this selector (an empty one selects no pod: such a Service has none). */
    public static List<ClusterEndpointSlice> slices(ClusterService service, Map<String, String> selector, Collection<ClusterPod> pods) {
        return slices(service, selector, pods, new HashSet<>());
    }

    private static List<ClusterEndpointSlice> slices(ClusterService service, Map<String, String> selector,
                                                     Collection<ClusterPod> pods, Set<String> taken) {
        var byPorts = new LinkedHashMap<List<ClusterEndpointSlice.Port>, List<ClusterEndpointSlice.Endpoint>>();
        for (ClusterPod pod : pods) {
            Optional<Integer> address = pod.ip() == null ? Optional.empty() : Ipv4.parse(pod.ip());
            if (!pod.namespace().equals(service.ref().namespace()) || !selects(selector, pod) || address.isEmpty()) continue;
            var endpoint = new ClusterEndpointSlice.Endpoint(List.of(address.get()), true, true, false, null, pod.ref());
            byPorts.computeIfAbsent(ports(service, pod), ports -> new ArrayList<>()).add(endpoint);
        }
        var slices = new ArrayList<ClusterEndpointSlice>();
        int number = 0;
        for (var group : byPorts.entrySet()) {
            List<ClusterEndpointSlice.Endpoint> endpoints = group.getValue();
            for (int from = 0; from < endpoints.size(); from += MAX_ENDPOINTS_PER_SLICE) {
                String name;
                do {
                    name = service.ref().name() + "-derived-" + ++number;
                } while (!taken.add(service.ref().namespace() + "/" + name));
                var chunk = endpoints.subList(from, Math.min(endpoints.size(), from + MAX_ENDPOINTS_PER_SLICE));
                slices.add(new ClusterEndpointSlice(service.ref().namespace(), name, service.ref().name(), group.getKey(), chunk));
            }
        }
        return slices;
    }

    /** A selector's labels all on the pod; the API server stores {@code selector: {}} as none, which selects nothing. */
    private static boolean selects(Map<String, String> selector, ClusterPod pod) {
        return !selector.isEmpty() && selector.entrySet().stream().allMatch(label -> label.getValue().equals(pod.labels().get(label.getKey())));
    }

    /** The pod's endpoint ports (upstream's getEndpointPorts): a Service port whose targetPort it lacks is left out. */
    private static List<ClusterEndpointSlice.Port> ports(ClusterService service, ClusterPod pod) {
        var ports = new ArrayList<ClusterEndpointSlice.Port>();
        for (ServicePort port : service.ports()) {
            switch (port.targetPort()) {
                case ServicePort.TargetPort.Number number -> ports.add(new ClusterEndpointSlice.Port(port.name(), port.protocol(), number.port()));
                case ServicePort.TargetPort.Named named -> pod.ports().stream()
                        .filter(declared -> named.name().equals(declared.name()) && declared.protocol() == port.protocol())
                        .findFirst()
                        .map(PodPort::number)
                        .ifPresent(found -> ports.add(new ClusterEndpointSlice.Port(port.name(), port.protocol(), found)));
            }
        }
        return List.copyOf(ports);
    }
}
