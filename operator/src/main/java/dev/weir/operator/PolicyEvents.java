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
    private final KubernetesClient client;
    private final Set<String> reported = new HashSet<>();

    PolicyEvents(KubernetesClient client) {
        this.client = client;
    }

    void report(List<PolicyProblem> problems) {
        for (PolicyProblem problem : problems) {
            if (!reported.add(problem.toString())) continue;
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
}
