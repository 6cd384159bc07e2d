package dev.weir.agent.watch;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;

/** Warning Events on this node's WeirNode, each (program, reason) once, so a retrying agent does not flood them. */
final class NodeEvents {
    private static final Logger LOG = Logger.getLogger(NodeEvents.class.getName());
    private static final int REMEMBERED = 10_000;

    private final KubernetesClient client;
    private final String node;
    private final Set<String> reported = new HashSet<>();

    NodeEvents(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
    }

    /** Records that a program was refused; false when this refusal was already reported. */
    boolean programRefused(String program, String why) {
        if (reported.size() > REMEMBERED) reported.clear(); // reported again at worst
        if (!reported.add(program + "\0" + why)) return false;
        LOG.warning("program " + program + " refused: " + why);
        String now = Instant.now().toString();
        try {
            client.v1().events().inNamespace("default").resource(new EventBuilder()
                    .withNewMetadata().withGenerateName("weirnode-" + node + "-").endMetadata()
                    .withNewInvolvedObject().withApiVersion("weir.dev/v1alpha1").withKind("WeirNode").withName(node).endInvolvedObject()
                    .withType("Warning").withReason("ProgramRefused").withMessage(program + ": " + NodeStatus.truncate(why))
                    .withNewSource().withComponent("weir-agent").withHost(node).endSource()
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
        } catch (RuntimeException e) {
            LOG.warning("cannot record an Event for the refused program " + program + ": " + e.getMessage());
        }
        return true;
    }
}
