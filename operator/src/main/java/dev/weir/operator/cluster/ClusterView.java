package dev.weir.operator.cluster;

import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.FromFabric8;
import dev.weir.compiler.cluster.PodRef;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.Collection;
import java.util.Comparator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the compiler needs from the API: namespaces, pods (with the node each runs on) and NetworkPolicies.
 * Pods NetworkPolicy does not govern (host network, terminated) are left out, as the file loader does.
 *
 * @param podNodes the node of each scheduled pod
 * @param nodes    the cluster's nodes by name: pod CIDRs and addresses
 * @param warnings pods left out, and why
 */
public record ClusterView(ClusterState cluster, Map<PodRef, String> podNodes, Map<String, NodeInfo> nodes, List<String> warnings) {

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
                client.network().v1().networkPolicies().inAnyNamespace().list().getItems(), client.nodes().list().getItems());
    }

    public static ClusterView of(Collection<Namespace> namespaces, Collection<Pod> pods, Collection<NetworkPolicy> policies,
                                 Collection<Node> nodeObjects) {
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
        var nodes = new java.util.TreeMap<String, NodeInfo>();
        nodeObjects.forEach(node -> nodes.put(node.getMetadata().getName(), NodeInfo.of(node)));
        return new ClusterView(builder.build(), Map.copyOf(podNodes), java.util.Collections.unmodifiableMap(nodes), warnings);
    }
}
