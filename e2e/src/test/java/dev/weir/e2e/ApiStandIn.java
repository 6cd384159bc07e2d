package dev.weir.e2e;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Queue;

/**
 * The API server's stand-in (no real one can run here): Fabric8's mock server in CRUD mode, served over
 * HTTP on localhost so separate processes (the agent) reach it through a kubeconfig, as in a cluster. It
 * answers the SelfSubjectRulesReview the operator's leader election asks, which CRUD mode cannot.
 */
final class ApiStandIn implements AutoCloseable {
    private final KubernetesMockServer server;
    final KubernetesClient client;
    final Path kubeconfig;

    ApiStandIn(Path dir) throws IOException {
        var responses = new HashMap<ServerRequest, Queue<ServerResponse>>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
        server.init();
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule()
                        .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
                        .withIncomplete(false).endStatus().build()).always();
        client = server.createClient();
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: stand-in
                  cluster:
                    server: %s
                users:
                - name: weir
                  user:
                    token: stand-in
                contexts:
                - name: stand-in
                  context:
                    cluster: stand-in
                    user: weir
                    namespace: default
                current-context: stand-in
                """.formatted(client.getMasterUrl()));
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
