package dev.weir.agent.watch;

import dev.weir.crds.WeirNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.logging.Logger;

/** Writes this node's WeirNode status (on the status subresource, never the spec), only when it changes. */
final class NodeStatus {
    private static final Logger LOG = Logger.getLogger(NodeStatus.class.getName());
    private static final int MAX_MESSAGE = 1000;

    private final KubernetesClient client;
    private final String node;

    NodeStatus(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
    }

    /** @param current the WeirNode as last seen, or null (then there is nothing to write to) */
    void write(WeirNode current, WeirNode.Status status) {
        if (current == null) return;
        WeirNode.Status wanted = new WeirNode.Status(status.loadedGeneration(), status.podsAttached(), truncate(status.message()));
        if (wanted.equals(current.getStatus())) return;
        try {
            WeirNode copy = new WeirNode();
            copy.setMetadata(new ObjectMetaBuilder().withName(node).build());
            copy.setSpec(current.getSpec());
            copy.setStatus(wanted);
            client.resources(WeirNode.class).resource(copy).updateStatus();
        } catch (RuntimeException e) {
            LOG.fine(() -> "status not written: " + e.getMessage());
        }
    }

    static String truncate(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
    }
}
