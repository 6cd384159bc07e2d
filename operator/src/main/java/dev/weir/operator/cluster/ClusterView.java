package dev.weir.operator.cluster;

import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.FromFabric8;
import dev.weir.compiler.cluster.PodRef;
import io.fabric8.kubernetes.api.model.Pod;
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
 * @param warnings pods left out, and why
 */
public record ClusterView(ClusterState cluster, Map<PodRef, String> podNodes, List<String> warnings) {

    public static ClusterView read(KubernetesClient client) {
        var builder = ClusterState.builder();
        client.namespaces().list().getItems().forEach(builder::namespace);
        var podNodes = new HashMap<PodRef, String>();
        var warnings = new ArrayList<String>();
        for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
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
        client.network().v1().networkPolicies().inAnyNamespace().list().getItems().forEach(builder::policy);
        return new ClusterView(builder.build(), Map.copyOf(podNodes), warnings);
    }
}
