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

    /** The highest generation any node or chunk carries (0 when nothing is published). */
    long generation() {
        long generation = 0;
        for (WeirNode node : nodes.values()) {
            if (node.getSpec() != null) generation = Math.max(generation, node.getSpec().generation());
        }
        for (WeirMapChunk chunk : chunks.values()) {
            if (chunk.getSpec() != null) generation = Math.max(generation, chunk.getSpec().generation());
        }
        return generation;
    }

    /** The oldest generation a node still names ({@code otherwise} when there is no node). */
    long oldestNamed(long otherwise) {
        return nodes.values().stream().filter(n -> n.getSpec() != null).mapToLong(n -> n.getSpec().generation()).min().orElse(otherwise);
    }

    private static <T extends CustomResource<?, ?>> Map<String, T> byName(KubernetesClient client, Class<T> type) {
        var byName = new LinkedHashMap<String, T>();
        for (T item : client.resources(type).list().getItems()) byName.put(item.getMetadata().getName(), item);
        return byName;
    }
}
