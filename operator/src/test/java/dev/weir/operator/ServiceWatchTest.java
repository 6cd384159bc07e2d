package dev.weir.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.crds.WeirNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The running operator follows Services and EndpointSlices, and reports a bad Service on it while serving the rest. */
@EnableKubernetesMockClient(crud = true)
class ServiceWatchTest {

    KubernetesClient client;
    KubernetesMockServer server;

    boolean publishes(String map) {
        WeirNode node = client.resources(WeirNode.class).withName("node-a").get();
        return node != null && node.getSpec().maps().stream().anyMatch(m -> m.map().equals(map) && !m.chunks().isEmpty());
    }

    @Test
    void servicesAndSlicesArePublishedAsTheyComeAndABadServiceGetsAnEvent() throws Exception {
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule()
                        .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
                        .withIncomplete(false).endStatus().build())
                .always();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        client.pods().inNamespace("shop").resource(WeirOperatorTest.pod("web-1", "web", "node-a", "10.244.1.10")).create();
        try (var operator = new WeirOperator(client, "weir-system", "0.1.0", false)) {
            operator.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> client.resources(WeirNode.class).withName("node-a").get() != null);
            assertThat(publishes("weir_lb_svc")).isFalse();

            client.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                    .withNewSpec().withClusterIP("10.96.0.10").addToSelector("app", "web")
                    .addNewPort().withPort(80).withTargetPort(new IntOrString(8080)).withProtocol("TCP").endPort().endSpec().build()).create();
            client.discovery().v1().endpointSlices().inNamespace("shop").resource(new EndpointSliceBuilder()
                    .withNewMetadata().withName("web-abc").withNamespace("shop").addToLabels("kubernetes.io/service-name", "web").endMetadata()
                    .withAddressType("IPv4").addNewPort().withPort(8080).withProtocol("TCP").endPort()
                    .addNewEndpoint().withAddresses("10.244.1.10").endEndpoint().build()).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> publishes("weir_lb_svc") && publishes("weir_lb_be"));

            client.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withName("odd").withNamespace("shop").endMetadata()
                    .withNewSpec().withType("Bogus").withClusterIP("10.96.0.11")
                    .addNewPort().withPort(80).withProtocol("TCP").endPort().endSpec().build()).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(client.v1().events().inNamespace("shop").list().getItems()).anySatisfy(event -> {
                        assertThat(event.getType()).isEqualTo("Warning");
                        assertThat(event.getReason()).isEqualTo("InvalidService");
                        assertThat(event.getInvolvedObject().getKind()).isEqualTo("Service");
                        assertThat(event.getInvolvedObject().getName()).isEqualTo("odd");
                        assertThat(event.getMessage()).startsWith("Service shop/odd: spec.type: Unsupported value: \"Bogus\"");
                    }));
            assertThat(publishes("weir_lb_svc")).as("the good Service is still served").isTrue();

            client.discovery().v1().endpointSlices().inNamespace("shop").withName("web-abc").delete();
            client.services().inNamespace("shop").withName("web").delete();
            await().atMost(Duration.ofSeconds(20)).until(() -> !publishes("weir_lb_svc"));
        }
    }
}
