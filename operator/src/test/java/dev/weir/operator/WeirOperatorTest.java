package dev.weir.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.crds.WeirCluster;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The operator (JOSDK, leader election, informers) against Fabric8's mock API server in CRUD mode, which
 * stands in for a real API server (none can run here); server-side apply is off, as the mock requires.
 */
@EnableKubernetesMockClient(crud = true)
class WeirOperatorTest {

    KubernetesClient client;
    KubernetesMockServer server;

    /** JOSDK checks it may use the Lease with a SelfSubjectRulesReview, which the CRUD mock does not answer. */
    void allowLeases() {
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule()
                        .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
                        .withIncomplete(false).endStatus().build())
                .always();
    }

    static java.net.http.HttpResponse<String> get(java.net.http.HttpClient http, String url) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    static Pod pod(String name, String app, String node, String ip) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").addToLabels("app", app).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("main").withImage("x").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).endStatus().build();
    }

    @Test
    void theLoopFollowsTheClusterAndReportsRefusedPoliciesAsEvents() throws Exception {
        allowLeases();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        try (var operator = new WeirOperator(client, "weir-system", "0.1.0", false)) {
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
            // Serving goes on: the status says what the last pass did, counting the refused policy.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                WeirCluster.Status status = client.resources(WeirCluster.class).withName(WeirCluster.DEFAULT).get().getStatus();
                assertThat(status).isNotNull();
                assertThat(status.refusedPolicies()).isEqualTo(1);
                assertThat(status.programs()).isPositive().isLessThanOrEqualTo(client.resources(WeirProgram.class).list().getItems().size());
            });
            assertThat(client.leases().inNamespace("weir-system").withName(WeirOperator.LEASE).get()).isNotNull();
            try (var endpoints = operator.serveEndpoints(0)) {
                var http = java.net.http.HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + endpoints.port();
                assertThat(get(http, base + "/healthz").statusCode()).isEqualTo(200);
                assertThat(get(http, base + "/readyz").statusCode()).isEqualTo(200);
                String metrics = get(http, base + "/metrics").body();
                assertThat(metrics).contains("# TYPE weir_operator_passes_total counter", "weir_operator_refused_policies 1");
                assertThat(metrics).containsPattern("weir_operator_passes_total [1-9]")
                        .containsPattern("weir_operator_pass_seconds_bucket\\{le=\"\\+Inf\"} [1-9]")
                        .containsPattern("weir_operator_compile_seconds_count [1-9]")
                        // JOSDK's own, on the same registry
                        .containsPattern("operator_sdk_reconciliations_started_total\\{[^}]*kind=\"WeirCluster\"[^}]*} [1-9]");
            }

            // A second WeirCluster is ignored; it must not make the operator unpublish anything.
            var other = new WeirCluster();
            other.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("other").build());
            other.setSpec(new WeirCluster.Spec());
            client.resources(WeirCluster.class).resource(other).create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    client.resources(WeirCluster.class).withName("other").get().getStatus().message()).startsWith("ignored"));
            assertThat(client.resources(WeirNode.class).withName("node-a").get()).isNotNull();

            client.pods().inNamespace("shop").withName("web-1").delete();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(client.resources(WeirNode.class).withName("node-a").get()).isNull());
        }
    }
}
