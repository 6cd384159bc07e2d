package dev.weir.operator.publish;

import dev.weir.crds.WeirIdentity;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the API holds of Weir's objects, read once per pass (by name): the generation check and the
 * Publisher's difference both work from it, rather than listing each kind again.
 */
record Published(Map<String, WeirProgram> programs, Map<String, WeirMapChunk> chunks,
                 Map<String, WeirIdentity> identities, Map<String, WeirNode> nodes) {

    static Published read(KubernetesClient client) {
        return new Published(byName(client, WeirProgram.class), byName(client, WeirMapChunk.class),
                byName(client, WeirIdentity.class), byName(client, WeirNode.class));
    }

    /** The highest generation a node carries (0 when none): the counter's fallback when it is lost. */
    long nodeGeneration() {
        return nodes.values().stream().filter(n -> n.getSpec() != null).mapToLong(n -> n.getSpec().generation()).max().orElse(0);
    }

    /** The objects (chunks and programs) that the nodes as read name: agents may still be loading them. */
    java.util.Set<String> namedByNodes() {
        var named = new java.util.HashSet<String>();
        for (WeirNode node : nodes.values()) {
            WeirNode.Spec spec = node.getSpec();
            if (spec == null) continue;
            if (spec.maps() != null) spec.maps().forEach(m -> { if (m != null && m.chunks() != null) named.addAll(m.chunks()); });
            if (spec.pods() != null) spec.pods().forEach(p -> { if (p != null) { named.add(p.ingressProgram()); named.add(p.egressProgram()); } });
        }
        return named;
    }

    private static <T extends CustomResource<?, ?>> Map<String, T> byName(KubernetesClient client, Class<T> type) {
        var byName = new LinkedHashMap<String, T>();
        for (T item : client.resources(type).list().getItems()) byName.put(item.getMetadata().getName(), item);
        return byName;
    }
}
