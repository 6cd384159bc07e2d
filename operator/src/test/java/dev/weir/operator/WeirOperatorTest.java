package dev.weir.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The operator's loop against Fabric8's mock API server in CRUD mode (informers and watches work there;
 * it stands in for a real API server, which cannot run here).
 */
@EnableKubernetesMockClient(crud = true)
class WeirOperatorTest {

    KubernetesClient client;

    static Pod pod(String name, String app, String node, String ip) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").addToLabels("app", app).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("main").withImage("x").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).endStatus().build();
    }

    @Test
    void theLoopFollowsTheClusterAndReportsRefusedPoliciesAsEvents() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        try (var operator = new WeirOperator(client, "weir-system", "0.1.0")) {
            operator.start();
            client.pods().inNamespace("shop").resource(pod("web-1", "web", "node-a", "10.244.1.10")).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(client.resources(WeirNode.class).withName("node-a").get()).isNotNull());

            client.network().v1().networkPolicies().inNamespace("shop").resource(new NetworkPolicyBuilder()
                    .withNewMetadata().withName("bad").withNamespace("shop").endMetadata()
                    .withNewSpec().withNewPodSelector().endPodSelector()
                    .addNewIngress().addNewPort().withProtocol("ICMP").endPort().endIngress().endSpec().build()).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(client.v1().events().inNamespace("shop").list().getItems())
                            .anySatisfy(event -> {
                                assertThat(event.getInvolvedObject().getName()).isEqualTo("bad");
                                assertThat(event.getReason()).isEqualTo("InvalidPolicy");
                                assertThat(event.getMessage()).startsWith("spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\"");
                            }));
            // The refused policy fails closed: it isolates web-1 (its own ingress program now), and serving went on.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                var result = operator.lastPass();
                assertThat(result.compiled().namespace("shop").ingressPolicies()).containsExactly("shop/bad");
                assertThat(client.resources(WeirProgram.class).list().getItems())
                        .anySatisfy(p -> assertThat(p.getSpec().programName()).isEqualTo(result.compiled().namespace("shop").ingressProgram()));
            });

            client.pods().inNamespace("shop").withName("web-1").delete();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(client.resources(WeirNode.class).withName("node-a").get()).isNull());
        }
    }
}
