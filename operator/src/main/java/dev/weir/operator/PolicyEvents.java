package dev.weir.operator;

import dev.weir.compiler.policy.PolicyProblem;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Refused policies reported where their authors look: a Warning Event on the NetworkPolicy, once per problem. */
final class PolicyEvents {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(PolicyEvents.class.getName());
    private final KubernetesClient client;
    private final Set<String> reported = new HashSet<>();

    PolicyEvents(KubernetesClient client) {
        this.client = client;
    }

    /** Reports new problems; forgets fixed ones (so a problem that comes back is reported again). */
    void report(List<PolicyProblem> problems) {
        reported.retainAll(problems.stream().map(PolicyProblem::toString).toList());
        for (PolicyProblem problem : problems) {
            if (reported.contains(problem.toString())) continue;
            try {
                send(problem);
                reported.add(problem.toString());
            } catch (RuntimeException e) {
                // A namespace being deleted, say: the next pass tries again; publishing is not held up.
                LOG.warning("cannot report " + problem + ": " + e.getMessage());
            }
        }
    }

    private void send(PolicyProblem problem) {
        String[] policy = problem.policy().split("/", 2);
        String now = Instant.now().toString();
        client.v1().events().inNamespace(policy[0]).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(policy[1] + ".weir.").withNamespace(policy[0]).endMetadata()
                    .withNewInvolvedObject().withApiVersion("networking.k8s.io/v1").withKind("NetworkPolicy")
                    .withNamespace(policy[0]).withName(policy[1]).endInvolvedObject()
                    .withType("Warning").withReason("InvalidPolicy")
                    .withMessage(problem.field() + ": " + problem.detail())
                    .withReportingComponent("weir-operator").withSource(new EventSource("weir-operator", null))
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
    }
}
