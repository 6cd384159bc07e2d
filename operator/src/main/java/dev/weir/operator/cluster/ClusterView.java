package dev.weir.operator.cluster;

import dev.weir.compiler.cluster.ApiObjects;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.FromFabric8;
import dev.weir.compiler.cluster.PodRef;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.Collection;
import java.util.Comparator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the compiler needs from the API: namespaces, pods (with the node each runs on), NetworkPolicies, Services
 * and EndpointSlices. Pods NetworkPolicy does not govern (host network, terminated) are left out, as the file
 * loader does; Services and EndpointSlices bind with the loader's rules, a bad field leaving out only its part.
 * The API's EndpointSlices are used as they are: unlike the loader, nothing is derived from pods (the
 * cluster's EndpointSlice controller has done that, and knows readiness).
 *
 * @param podNodes the node of each scheduled pod
 * @param nodes    the cluster's nodes by name: pod CIDRs and addresses
 * @param warnings pods and EndpointSlices left out for what Weir does not serve yet, and why
 * @param refused  Services and EndpointSlices with fields refused, one line per field
 */
public record ClusterView(ClusterState cluster, Map<PodRef, String> podNodes, Map<String, NodeInfo> nodes, List<String> warnings,
                          List<Refused> refused) {

    /** A field of a Service or EndpointSlice refused; {@code line} names the object, the field and what is left out. */
    public record Refused(String apiVersion, String kind, String namespace, String name, String line) {}

    /** What Weir needs of a Node: where its pods' addresses come from, and its own addresses. */
    public record NodeInfo(List<String> podCIDRs, List<String> addresses) {
        static NodeInfo of(Node node) {
            List<String> cidrs = node.getSpec() == null ? List.of()
                    : node.getSpec().getPodCIDRs() != null && !node.getSpec().getPodCIDRs().isEmpty() ? List.copyOf(node.getSpec().getPodCIDRs())
                    : node.getSpec().getPodCIDR() == null ? List.of() : List.of(node.getSpec().getPodCIDR());
            List<String> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null ? List.of()
                    : node.getStatus().getAddresses().stream()
                            .filter(a -> "InternalIP".equals(a.getType()) || "ExternalIP".equals(a.getType()))
                            .map(NodeAddress::getAddress).distinct().sorted().toList();
            return new NodeInfo(cidrs, addresses);
        }
    }

    /** Lists everything from the API (tests, one-off passes); the operator reads its informer caches instead. */
    public static ClusterView read(KubernetesClient client) {
        return of(client.namespaces().list().getItems(), client.pods().inAnyNamespace().list().getItems(),
                client.network().v1().networkPolicies().inAnyNamespace().list().getItems(), client.nodes().list().getItems(),
                client.services().inAnyNamespace().list().getItems(),
                client.discovery().v1().endpointSlices().inAnyNamespace().list().getItems());
    }

    public static ClusterView of(Collection<Namespace> namespaces, Collection<Pod> pods, Collection<NetworkPolicy> policies,
                                 Collection<Node> nodeObjects) {
        return of(namespaces, pods, policies, nodeObjects, List.of(), List.of());
    }

    public static ClusterView of(Collection<Namespace> namespaces, Collection<Pod> pods, Collection<NetworkPolicy> policies,
                                 Collection<Node> nodeObjects, Collection<Service> services, Collection<EndpointSlice> slices) {
        var builder = ClusterState.builder();
        // Sorted: caches hand objects out in no particular order, and the output must not depend on it.
        namespaces.stream().sorted(Comparator.comparing(n -> n.getMetadata().getName())).forEach(builder::namespace);
        var podNodes = new HashMap<PodRef, String>();
        var warnings = new ArrayList<String>();
        for (Pod pod : pods.stream().sorted(Comparator.comparing((Pod p) -> p.getMetadata().getNamespace())
                .thenComparing(p -> p.getMetadata().getName())).toList()) {
            String skip = FromFabric8.outsidePolicy(pod);
            String name = FromFabric8.namespaceOf(pod.getMetadata()) + "/" + pod.getMetadata().getName();
            if (skip != null) {
                warnings.add("pod " + name + " left out: " + skip);
                continue;
            }
            builder.pod(pod);
            if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
                podNodes.put(PodRef.parse(name), pod.getSpec().getNodeName());
            }
        }
        policies.forEach(builder::policy);
        var refused = new ArrayList<Refused>();
        for (Service service : sorted(services)) {
            ApiObjects.Bound<dev.weir.compiler.services.ClusterService> bound = ApiObjects.service(service);
            note(service, bound, warnings, refused);
            if (bound.value() != null) builder.service(bound.value());
        }
        for (EndpointSlice slice : sorted(slices)) {
            ApiObjects.Bound<dev.weir.compiler.services.ClusterEndpointSlice> bound = ApiObjects.endpointSlice(slice);
            note(slice, bound, warnings, refused);
            if (bound.value() != null) builder.endpointSlice(bound.value());
        }
        var nodes = new java.util.TreeMap<String, NodeInfo>();
        nodeObjects.forEach(node -> nodes.put(node.getMetadata().getName(), NodeInfo.of(node)));
        return new ClusterView(builder.build(), Map.copyOf(podNodes), java.util.Collections.unmodifiableMap(nodes), warnings, List.copyOf(refused));
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> List<T> sorted(Collection<T> objects) {
        return objects.stream().sorted(Comparator.comparing((T o) -> FromFabric8.namespaceOf(o.getMetadata()))
                .thenComparing(o -> String.valueOf(o.getMetadata().getName()))).toList();
    }

    private static void note(io.fabric8.kubernetes.api.model.HasMetadata object, ApiObjects.Bound<?> bound, List<String> warnings,
                             List<Refused> refused) {
        if (bound.warning() != null) warnings.add(bound.warning());
        for (String line : bound.problems()) {
            refused.add(new Refused(object.getApiVersion(), object.getKind(), FromFabric8.namespaceOf(object.getMetadata()), object.getMetadata().getName(), line));
        }
    }
}
