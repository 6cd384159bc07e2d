package dev.weir.operator.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.abi.LbMaps;
import dev.weir.crds.MapChunks;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.signing.ArtifactSigner;
import dev.weir.datapath.packet.Frames;
import dev.weir.operator.cluster.ClusterView;
import dev.weir.operator.signing.SigningKeys;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.NavigableMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Services and EndpointSlices read from the API become the published load-balancing maps. */
@EnableKubernetesMockClient(crud = true)
class ServicePublicationTest {

    KubernetesClient client;
    ArtifactSigner signer;

    @BeforeEach
    void cluster() {
        signer = SigningKeys.loadOrCreate(client, "weir-system");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        client.pods().inNamespace("shop").resource(PublicationTest.pod("web-1", "web", "node-a", "10.244.1.10", false)).create();
        client.pods().inNamespace("shop").resource(PublicationTest.pod("db-0", "db", "node-b", "10.244.2.20", false)).create();
        client.services().inNamespace("shop").resource(service("web", "10.96.0.10", "web", 80, 8080, "TCP", "ClusterIP")).create();
        client.discovery().v1().endpointSlices().inNamespace("shop").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("web-abc").withNamespace("shop").addToLabels("kubernetes.io/service-name", "web").endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("").withPort(8080).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses("10.244.1.10").withNewConditions().withReady(true).endConditions()
                .withNewTargetRef().withKind("Pod").withNamespace("shop").withName("web-1").endTargetRef().endEndpoint()
                .build()).create();
    }

    static Service service(String name, String clusterIp, String app, int port, int targetPort, String protocol, String type) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewSpec().withType(type).withClusterIP(clusterIp).withClusterIPs(clusterIp).addToSelector("app", app)
                .addNewPort().withPort(port).withTargetPort(new IntOrString(targetPort)).withProtocol(protocol).endPort()
                .endSpec().build();
    }

    NavigableMap<byte[], byte[]> published(String node, String map) {
        var verifier = signer.verifier();
        WeirNode.MapContents contents = verifier.verify(client.resources(WeirNode.class).withName(node).get()).maps().stream()
                .filter(m -> m.map().equals(map)).findFirst().orElseThrow(() -> new AssertionError(map + " not published to " + node));
        List<WeirMapChunk.Spec> chunks = contents.chunks().stream()
                .map(name -> verifier.verify(client.resources(WeirMapChunk.class).withName(name).get())).toList();
        return chunks.isEmpty() ? new java.util.TreeMap<>() : MapChunks.join(map, chunks.getFirst().keySize(), chunks.getFirst().valueSize(), chunks);
    }

    @Test
    void aServiceAndItsEndpointSliceArePublishedAsFrontendAndBackend() {
        ClusterView view = ClusterView.read(client);
        assertThat(view.refused()).isEmpty();
        new Publication(client, "weir-system", signer, "0.1.0").run(view);

        var frontends = published("node-a", LbMaps.SERVICES);
        assertThat(frontends).hasSize(1);
        var key = frontends.firstKey();
        assertThat(key).isEqualTo(LbMaps.serviceKey(Frames.ip("10.96.0.10"), 80, 6));
        LbMaps.ServiceEntry frontend = LbMaps.ServiceEntry.of(frontends.firstEntry().getValue());
        assertThat(frontend.backends()).isEqualTo(1);

        var backends = published("node-a", LbMaps.BACKENDS);
        byte[] backend = backends.entrySet().stream()
                .filter(e -> java.nio.ByteBuffer.wrap(e.getKey()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() == frontend.firstBackend())
                .findFirst().orElseThrow().getValue();
        assertThat(LbMaps.BackendEntry.of(backend)).isEqualTo(new LbMaps.BackendEntry(Frames.ip("10.244.1.10"), 8080));
        assertThat(published("node-b", LbMaps.SERVICES)).as("every node translates, wherever the client runs").hasSize(1);
    }

    @Test
    void theApisSlicesAreUsedAsTheyAreNothingIsDerivedFromPods() {
        // db selects db-0, but no EndpointSlice names it: the cluster's controller has not made one (or the pod is
        // not ready), so it has no backend, where the file loader would have derived one.
        client.services().inNamespace("shop").resource(service("db", "10.96.0.20", "db", 5432, 5432, "TCP", "ClusterIP")).create();
        new Publication(client, "weir-system", signer, "0.1.0").run(ClusterView.read(client));
        assertThat(published("node-a", LbMaps.BACKENDS).values()).extracting(LbMaps.BackendEntry::of)
                .containsExactly(new LbMaps.BackendEntry(Frames.ip("10.244.1.10"), 8080));
    }

    @Test
    void aBadServiceIsRefusedFieldByFieldAndTheOthersArePublished() {
        client.services().inNamespace("shop").resource(service("odd", "10.96.0.30", "web", 80, 8080, "TCP", "Bogus")).create();
        client.services().inNamespace("shop").resource(service("icmp", "10.96.0.40", "web", 80, 8080, "ICMP", "ClusterIP")).create();
        ClusterView view = ClusterView.read(client);
        assertThat(view.refused()).extracting(ClusterView.Refused::name).containsExactly("icmp", "odd");
        assertThat(view.refused()).allSatisfy(refused -> {
            assertThat(refused.kind()).isEqualTo("Service");
            assertThat(refused.apiVersion()).isEqualTo("v1");
            assertThat(refused.namespace()).isEqualTo("shop");
        });
        assertThat(view.refused().get(0).line()).startsWith("Service shop/icmp: spec.ports[0].protocol: Unsupported value: \"ICMP\"");
        assertThat(view.refused().get(1).line()).startsWith("Service shop/odd: spec.type: Unsupported value: \"Bogus\"");
        new Publication(client, "weir-system", signer, "0.1.0").run(view);
        assertThat(published("node-a", LbMaps.SERVICES).keySet()).containsExactly(LbMaps.serviceKey(Frames.ip("10.96.0.10"), 80, 6));
    }

    @Test
    void aBadEndpointSliceIsRefusedAndNamed() {
        client.discovery().v1().endpointSlices().inNamespace("shop").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("orphan").withNamespace("shop").endMetadata().withAddressType("IPv4").build()).create();
        ClusterView view = ClusterView.read(client);
        assertThat(view.refused()).singleElement().satisfies(refused -> {
            assertThat(refused.apiVersion()).isEqualTo("discovery.k8s.io/v1");
            assertThat(refused.kind()).isEqualTo("EndpointSlice");
            assertThat(refused.name()).isEqualTo("orphan");
            assertThat(refused.line()).startsWith("EndpointSlice shop/orphan: metadata.labels.kubernetes.io/service-name: Required value");
        });
    }
}
