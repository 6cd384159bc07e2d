package dev.weir.agent.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.agent.Netns;
import dev.weir.agent.network.PodNetwork;
import dev.weir.compiler.abi.LbMaps;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.cluster.ApiObjects;
import dev.weir.compiler.cluster.ClusterNamespace;
import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.crds.WeirNode;
import dev.weir.crds.signing.ArtifactSigner;
import dev.weir.crds.signing.Artifacts;
import dev.weir.crds.signing.Ed25519Keys;
import dev.weir.datapath.kernel.KernelMap;
import dev.weir.datapath.kernel.KernelTest;
import dev.weir.datapath.kernel.MapEntry;
import dev.weir.datapath.packet.Frames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node's published Service maps in the kernel: the Maglev rows the agent derives from them, and a node refused for a dangling backend. */
@KernelTest
class ServiceMapsTest {
    static final ArtifactSigner OPERATOR = new ArtifactSigner(Ed25519Keys.generate());
    static final ArtifactCheck AGENT = new ArtifactCheck(OPERATOR.verifier());

    Netns node;
    Path pins;
    NodeDatapath datapath;

    @BeforeEach
    void node() {
        node = Netns.create("weir-node-");
        pins = Path.of("/sys/fs/bpf", "weir-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        datapath = new NodeDatapath(pins, new PodNetwork(node.path()));
    }

    @AfterEach
    void cleanUp() {
        if (datapath != null) datapath.uninstall();
        NodeDatapath.deleteQuietly(pins);
        node.close();
        assertThat(Files.exists(pins)).isFalse();
    }

    /** Service x/web (10.96.0.10:80) with two ready backends on port 8080. */
    static ClusterState cluster() {
        var service = ApiObjects.service(new ServiceBuilder().withNewMetadata().withName("web").withNamespace("x").endMetadata()
                .withNewSpec().withClusterIP("10.96.0.10").addToSelector("app", "web")
                .addNewPort().withPort(80).withTargetPort(new IntOrString(8080)).withProtocol("TCP").endPort().endSpec().build());
        var slice = ApiObjects.endpointSlice(new EndpointSliceBuilder()
                .withNewMetadata().withName("web-1").withNamespace("x").addToLabels("kubernetes.io/service-name", "web").endMetadata()
                .withAddressType("IPv4").addNewPort().withPort(8080).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses("10.244.1.2").endEndpoint()
                .addNewEndpoint().withAddresses("10.244.1.3").endEndpoint().build());
        assertThat(service.problems()).isEmpty();
        assertThat(slice.problems()).isEmpty();
        return ClusterState.builder().namespace(new ClusterNamespace("x", Map.of()))
                .pod(new ClusterPod("x", "a", Map.of("app", "web"), "10.244.1.2", List.of()))
                .pod(new ClusterPod("x", "b", Map.of("app", "web"), "10.244.1.3", List.of()))
                .service(service.value()).endpointSlice(slice.value()).build();
    }

    static int u32(byte[] bytes, int offset) {
        return ByteBuffer.wrap(bytes, offset, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Test
    void theMaglevRowsAreDerivedFromThePublishedFrontendsAndBackends() {
        var published = new Published().publish(cluster(), "node-1", OPERATOR, 1);
        VerifiedNode verified = AGENT.check("node-1", published, 0);
        assertThat(verified.contents()).doesNotContainKey(LbMaps.MAGLEV); // not published: the node derives it
        datapath.apply(verified);

        List<MapEntry> frontends = datapath.map(LbMaps.SERVICES).lookupBatch();
        assertThat(frontends).singleElement().satisfies(e ->
                assertThat(e.key()).isEqualTo(LbMaps.serviceKey(Frames.ip("10.96.0.10"), 80, 6)));
        LbMaps.ServiceEntry frontend = LbMaps.ServiceEntry.of(frontends.getFirst().value());
        assertThat(frontend.backends()).isEqualTo(2);

        KernelMap backendMap = datapath.map(LbMaps.BACKENDS);
        var backendIds = new HashMap<Integer, LbMaps.BackendEntry>();
        for (int id = frontend.firstBackend(); id < frontend.firstBackend() + frontend.backends(); id++) {
            backendIds.put(id, LbMaps.BackendEntry.of(backendMap.lookup(WeirMaps.u32(id)).orElseThrow()));
        }
        assertThat(backendIds.values()).containsExactlyInAnyOrder(new LbMaps.BackendEntry(Frames.ip("10.244.1.2"), 8080),
                new LbMaps.BackendEntry(Frames.ip("10.244.1.3"), 8080));

        KernelMap maglev = datapath.map(LbMaps.MAGLEV);
        byte[] row = maglev.lookup(WeirMaps.u32(frontend.id())).orElseThrow();
        int slots = row.length / 4;
        assertThat(slots).isEqualTo(maglev.spec().valueSize() / 4);
        var counts = new HashMap<Integer, Integer>();
        for (int i = 0; i < slots; i++) counts.merge(u32(row, 4 * i), 1, Integer::sum);
        // Every slot names one of the Service's backends, and Maglev spreads them evenly (within one slot).
        assertThat(counts.keySet()).isEqualTo(Set.copyOf(backendIds.keySet()));
        assertThat(Math.abs(counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow()
                - counts.values().stream().mapToInt(Integer::intValue).min().orElseThrow())).isLessThanOrEqualTo(1);
    }

    @Test
    void aNodeWhoseFrontendsNameMissingBackendsIsRefused() {
        var published = new Published().publish(cluster(), "node-1", OPERATOR, 1);
        WeirNode node = published.nodes.get("node-1");
        WeirNode.Spec spec = node.getSpec();
        // Validly signed, but without the backends its frontend names.
        var maps = spec.maps().stream().map(m -> m.map().equals(LbMaps.BACKENDS) ? new WeirNode.MapContents(m.map(), List.of()) : m).toList();
        node.setSpec(Artifacts.sign("node-1", new WeirNode.Spec(2, spec.podCIDRs(), spec.addresses(), maps, spec.pods(), null, null), OPERATOR));
        assertThatThrownBy(() -> AGENT.check("node-1", published, 0)).isInstanceOf(ArtifactCheck.NotUsable.class)
                .hasMessageStartingWith("WeirNode node-1: Service port ").hasMessageEndingWith(", which is not in weir_lb_be");
    }
}
