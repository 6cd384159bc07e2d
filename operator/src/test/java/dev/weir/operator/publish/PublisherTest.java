package dev.weir.operator.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.compiler.cluster.ClusterNamespace;
import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.Compiler;
import dev.weir.crds.MapChunks;
import dev.weir.crds.WeirIdentity;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import dev.weir.crds.signing.ArtifactException;
import dev.weir.crds.signing.ArtifactSigner;
import dev.weir.crds.signing.ArtifactVerifier;
import dev.weir.crds.signing.Artifacts;
import dev.weir.operator.signing.SigningKeys;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Publishing against Fabric8's mock API server in CRUD mode: a stand-in for a real API server, which
 * cannot run here. What it checks is the object traffic, which the mock keeps as a server would.
 */
@EnableKubernetesMockClient(crud = true)
class PublisherTest {

    KubernetesClient client;
    ArtifactSigner signer;

    @BeforeEach
    void key() {
        signer = SigningKeys.loadOrCreate(client, "weir-system");
    }

    static ClusterState cluster(String webLabel) {
        return ClusterState.builder()
                .namespace(new ClusterNamespace("shop", Map.of()))
                .pod(new ClusterPod("shop", "web-1", Map.of("app", webLabel), "10.244.1.10", List.of()))
                .pod(new ClusterPod("shop", "db-0", Map.of("app", "db"), "10.244.2.20", List.of()))
                .policy(new NetworkPolicyBuilder().withNewMetadata().withNamespace("shop").withName("db").endMetadata()
                        .withNewSpec().withNewPodSelector().addToMatchLabels("app", "db").endPodSelector()
                        .addNewIngress().addNewFrom().withNewPodSelector().addToMatchLabels("app", "web").endPodSelector().endFrom().endIngress()
                        .endSpec().build())
                .build();
    }

    static final Map<PodRef, String> NODES = Map.of(new PodRef("shop", "web-1"), "node-a", new PodRef("shop", "db-0"), "node-b");

    Publisher.Changes publish(CompiledCluster compiled, long generation) {
        return new Publisher(client).publish(DesiredState.of(compiled, NODES, signer, generation, "0.1.0"));
    }

    /** A tiny signed program for key checks. */
    static final class ArtifactSigningTestPrograms {
        static WeirProgram.Spec unsigned() {
            byte[] exit = {(byte) 0xb7, 0, 0, 0, 0, 0, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0};
            return new WeirProgram.Spec("weir_i_0123abcd", "Ingress", 2, Base64.getEncoder().encodeToString(exit),
                    List.of(new dev.weir.crds.MapLayout("weir_ipcache", "HASH", 4, 4, 1024, 0)), List.of(), "0.1.0", null, null);
        }
    }

    static WeirProgram program(WeirProgram.Spec spec) {
        var program = new WeirProgram();
        program.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(Artifacts.programName(spec.sha256())).build());
        program.setSpec(spec);
        return program;
    }

    @Test
    void theKeyIsCreatedOnceAndReusedAfterARestart() {
        ArtifactSigner again = SigningKeys.loadOrCreate(client, "weir-system");
        assertThat(again.keyId()).isEqualTo(signer.keyId());
        assertThat(client.secrets().inNamespace("weir-system").withName(SigningKeys.SECRET).get().getData())
                .containsOnlyKeys(SigningKeys.PRIVATE, SigningKeys.PUBLIC);
        // Agents verify with the public key from its own ConfigMap, never reading the Secret.
        var published = client.configMaps().inNamespace("weir-system").withName(SigningKeys.PUBLIC_KEY_CONFIG_MAP).get().getData();
        var agent = new ArtifactVerifier(dev.weir.crds.signing.Ed25519Keys.publicKey(published.get(SigningKeys.PUBLIC)));
        assertThat(agent.verify(program(Artifacts.sign(ArtifactSigningTestPrograms.unsigned(), signer)))).isNotNull();
        assertThat(published.get("keyId")).isEqualTo(signer.keyId());
    }

    @Test
    void aCompiledClusterIsPublishedAsVerifiableObjects() {
        CompiledCluster compiled = Compiler.compile(cluster("web"));
        Publisher.Changes changes = publish(compiled, 1);

        List<WeirProgram> programs = client.resources(WeirProgram.class).list().getItems();
        assertThat(programs).hasSize(compiled.programs().size());
        ArtifactVerifier agent = signer.verifier();
        for (WeirProgram program : programs) {
            WeirProgram.Spec spec = agent.verify(program);
            assertThat(Base64.getDecoder().decode(spec.bytecode()))
                    .isEqualTo(compiled.program(spec.programName()).entry().spec().code().toByteArray());
        }
        WeirNode.MapContents ipcacheChunks = agent.verify(client.resources(WeirNode.class).withName("node-b").get()).maps().stream()
                .filter(m -> m.map().equals("weir_ipcache")).findFirst().orElseThrow();
        List<WeirMapChunk.Spec> ipcache = ipcacheChunks.chunks().stream()
                .map(name -> agent.verify(client.resources(WeirMapChunk.class).withName(name).get())).toList();
        assertThat(MapChunks.join("weir_ipcache", ipcache.getFirst().keySize(), ipcache.getFirst().valueSize(), ipcache)).hasSize(2);
        assertThat(client.resources(WeirIdentity.class).list().getItems()).extracting(i -> i.getSpec().number()).containsExactly(256, 257);
        WeirNode nodeA = client.resources(WeirNode.class).withName("node-a").get();
        assertThat(agent.verify(nodeA).pods()).singleElement().satisfies(pod -> {
            assertThat(pod.name()).isEqualTo("web-1");
            assertThat(pod.address()).isEqualTo("10.244.1.10");
            WeirProgram ingress = client.resources(WeirProgram.class).withName(pod.ingressProgram()).get();
            assertThat(agent.verify(ingress).programName()).isEqualTo(compiled.namespace("shop").ingressProgram());
        });
        int chunks = client.resources(WeirMapChunk.class).list().getItems().size();
        assertThat(chunks).isGreaterThanOrEqualTo(2); // ipcache and rows at least
        assertThat(changes.created()).isEqualTo(programs.size() + chunks + 2 + 2); // programs, chunks, identities, nodes
    }

    @Test
    void publishingTheSameStateAgainWritesNothing() {
        CompiledCluster compiled = Compiler.compile(cluster("web"));
        publish(compiled, 1);
        assertThat(publish(Compiler.compile(cluster("web")), 1).total()).isZero();
    }

    @Test
    void aChangeReplacesWhatChangedAndCollectsWhatIsGone() {
        CompiledCluster first = Compiler.compile(cluster("web"));
        publish(first, 1);
        CompiledCluster second = Compiler.compile(cluster("web-canary"), first);
        Publisher.Changes changes = publish(second, 2);
        assertThat(changes.total()).isPositive();
        // web-1's old label set is gone: its identity object too; the new one exists.
        assertThat(client.resources(WeirIdentity.class).list().getItems()).extracting(i -> i.getSpec().podLabels())
                .contains(Map.of("app", "web-canary")).doesNotContain(Map.of("app", "web"));
        assertThat(client.resources(WeirNode.class).withName("node-a").get().getSpec().generation()).isEqualTo(2);
        // Only changed contents were written: chunks are named by content, so equal ones are shared.
        assertThat(changes.created()).isLessThan(changes.total());
        // Generation 1's chunks stay while agents may still load them; the next pass removes them.
        assertThat(chunkNames()).containsAll(namedChunks(first)).containsAll(namedChunks(second));
        CompiledCluster third = Compiler.compile(cluster("web-2"), second);
        publish(third, 3);
        assertThat(chunkNames()).containsExactlyInAnyOrderElementsOf(union(namedChunks(second), namedChunks(third)));
    }

    java.util.Set<String> chunkNames() {
        return client.resources(WeirMapChunk.class).list().getItems().stream().map(c -> c.getMetadata().getName())
                .collect(java.util.stream.Collectors.toSet());
    }

    java.util.Set<String> namedChunks(CompiledCluster compiled) {
        return DesiredState.of(compiled, NODES, signer, 1, "0.1.0").chunks().stream().map(c -> c.getMetadata().getName())
                .collect(java.util.stream.Collectors.toSet());
    }

    static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        var union = new java.util.HashSet<>(a);
        union.addAll(b);
        return union;
    }

    @Test
    void aProgramTamperedWithInTheApiFailsVerification() {
        publish(Compiler.compile(cluster("web")), 1);
        WeirProgram program = client.resources(WeirProgram.class).list().getItems().getFirst();
        WeirProgram.Spec spec = program.getSpec();
        program.setSpec(new WeirProgram.Spec(spec.programName(), spec.direction(), spec.instructions(),
                Base64.getEncoder().encodeToString(new byte[] {(byte) 0xb7, 0, 0, 0, 0, 0, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0}),
                spec.maps(), spec.parts(), spec.compilerVersion(), spec.sha256(), spec.signature()));
        client.resources(WeirProgram.class).resource(program).update();
        WeirProgram stored = client.resources(WeirProgram.class).withName(program.getMetadata().getName()).get();
        assertThatThrownBy(() -> signer.verifier().verify(stored)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("does not match its sha256");
    }
}
