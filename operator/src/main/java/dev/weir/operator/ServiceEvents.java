package dev.weir.operator;

import dev.weir.operator.cluster.ClusterView;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Refused fields of Services and EndpointSlices reported on the object, as {@link PolicyEvents} does for
 * policies: a Warning Event once per problem, again if it comes back after being fixed.
 */
final class ServiceEvents {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ServiceEvents.class.getName());
    private final KubernetesClient client;
    private final Set<ClusterView.Refused> reported = new HashSet<>();

    ServiceEvents(KubernetesClient client) {
        this.client = client;
    }

    void report(List<ClusterView.Refused> refused) {
        reported.retainAll(refused);
        for (ClusterView.Refused problem : refused) {
            if (reported.contains(problem)) continue;
            try {
                send(problem);
                reported.add(problem);
            } catch (RuntimeException e) {
                // The next pass tries again; publishing is not held up.
                LOG.warning("cannot report " + problem.line() + ": " + e.getMessage());
            }
        }
    }

    private void send(ClusterView.Refused problem) {
        String now = Instant.now().toString();
        client.v1().events().inNamespace(problem.namespace()).resource(new EventBuilder()
                .withNewMetadata().withGenerateName(problem.name() + ".weir.").withNamespace(problem.namespace()).endMetadata()
                .withNewInvolvedObject().withApiVersion(problem.apiVersion()).withKind(problem.kind())
                .withNamespace(problem.namespace()).withName(problem.name()).endInvolvedObject()
                .withType("Warning").withReason("Invalid" + problem.kind())
                .withMessage(problem.line())
                .withReportingComponent("weir-operator").withSource(new EventSource("weir-operator", null))
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build()).create();
    }
}
