package dev.weir.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The operator against a real kube-apiserver and etcd (kube-api-test), where their binaries are installed
 * ($KUBE_API_TEST_DIR or ~/.kubeapitest/binaries). These machines have no network to download them, so
 * here it is skipped, saying why.
 */
@EnabledIf(value = "binariesPresent", disabledReason = "no kube-apiserver and etcd binaries under $KUBE_API_TEST_DIR or ~/.kubeapitest/binaries (kube-api-test downloads them, which needs network)")
@EnableKubeAPIServer
class RealApiServerTest {

    @KubeConfig
    static String kubeConfigYaml;

    static boolean binariesPresent() {
        String dir = System.getenv().getOrDefault("KUBE_API_TEST_DIR", System.getProperty("user.home") + "/.kubeapitest");
        Path binaries = Path.of(dir, "binaries");
        if (!Files.isDirectory(binaries)) return false;
        try (Stream<Path> versions = Files.list(binaries)) {
            return versions.anyMatch(v -> Files.isExecutable(v.resolve("kube-apiserver")) && Files.isExecutable(v.resolve("etcd")));
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void publishesAgainstARealApiServer() throws IOException {
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeConfigYaml)).build()) {
            for (String plural : List.of("weirclusters", "weiridentities", "weirprograms", "weirmapchunks", "weirnodes")) {
                try (InputStream crd = RealApiServerTest.class.getResourceAsStream("/META-INF/fabric8/" + plural + ".weir.dev-v1.yml")) {
                    client.resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
                }
            }
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("weir-system").endMetadata().build()).create();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
            // A real API server ignores status on create: the address is set as a kubelet would, on the status.
            var pod = client.pods().inNamespace("shop").resource(WeirOperatorTest.pod("web-1", "web", "node-a", "10.244.1.10")).create();
            pod.setStatus(WeirOperatorTest.pod("web-1", "web", "node-a", "10.244.1.10").getStatus());
            client.pods().inNamespace("shop").resource(pod).updateStatus();
            try (var operator = new WeirOperator(client, "weir-system", "0.1.0", false)) {
                operator.start();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(client.resources(WeirNode.class).withName("node-a").get()).isNotNull();
                    assertThat(client.resources(WeirProgram.class).list().getItems()).isNotEmpty();
                });
            }
        }
    }
}
