package dev.weir.agent.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.compiler.cluster.ClusterNamespace;
import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import dev.weir.crds.signing.ArtifactSigner;
import dev.weir.crds.signing.Artifacts;
import dev.weir.crds.signing.Ed25519Keys;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the agent refuses before anything reaches the kernel, on the operator's real artifacts. */
class ArtifactCheckTest {
    static final ArtifactSigner OPERATOR = new ArtifactSigner(Ed25519Keys.generate());
    static final ArtifactCheck AGENT = new ArtifactCheck(OPERATOR.verifier());

    static ClusterState cluster() {
        return ClusterState.builder().namespace(new ClusterNamespace("x", Map.of()))
                .pod(new ClusterPod("x", "a", Map.of("app", "a"), "10.244.1.2", List.of()))
                .pod(new ClusterPod("x", "b", Map.of("app", "b"), "10.244.1.3", List.of()))
                .build();
    }

    static Published published() {
        return new Published().publish(cluster(), "node-1", OPERATOR, 3);
    }

    @Test
    void theOperatorsStatePassesWithItsProgramsMapsAndContents() {
        VerifiedNode verified = AGENT.check("node-1", published(), 0);
        assertThat(verified.generation()).isEqualTo(3);
        assertThat(verified.pods()).hasSize(2);
        assertThat(verified.refused()).isEmpty();
        assertThat(verified.programs()).isNotEmpty();
        assertThat(verified.layout()).extracting(m -> m.name()).contains("weir_ipcache", "weir_ct", "weir_endpoints");
        assertThat(verified.contents().get("weir_ipcache")).hasSize(2);
    }

    @Test
    void aNodeSignedByAnotherKeyOrForAnotherNodeOrOlderIsNotUsed() {
        var foreign = new Published().publish(cluster(), "node-1", new ArtifactSigner(Ed25519Keys.generate()), 3);
        assertThatThrownBy(() -> AGENT.check("node-1", foreign, 0)).isInstanceOf(ArtifactCheck.NotUsable.class)
                .hasMessageContaining("WeirNode node-1: signed by key");
        var published = published();
        published.nodes.put("node-2", published.nodes.get("node-1"));
        assertThatThrownBy(() -> AGENT.check("node-2", published, 0)).hasMessage("WeirNode node-2: the object found is another node's (node-1)");
        var moved = new WeirNode();
        moved.setMetadata(new ObjectMetaBuilder().withName("node-2").build());
        moved.setSpec(published.nodes.get("node-1").getSpec());
        published.nodes.put("node-2", moved);
        assertThatThrownBy(() -> AGENT.check("node-2", published, 0)).hasMessageContaining("does not match its sha256");
        assertThatThrownBy(() -> AGENT.check("node-1", published, 4)).hasMessageContaining("generation 3 is older than the running 4 (a replayed spec)");
        assertThatThrownBy(() -> AGENT.check("node-9", published, 0)).hasMessage("WeirNode node-9 does not exist yet");
    }

    @Test
    void aMissingOrAlteredChunkStopsTheWholeState() {
        var published = published();
        String name = published.nodes.get("node-1").getSpec().maps().getFirst().chunks().getFirst();
        WeirMapChunk chunk = published.chunks.remove(name);
        assertThatThrownBy(() -> AGENT.check("node-1", published, 0)).hasMessage("WeirMapChunk " + name + " (map weir_ipcache) does not exist yet");
        WeirMapChunk.Spec spec = chunk.getSpec();
        var altered = new WeirMapChunk();
        altered.setMetadata(new ObjectMetaBuilder().withName(name).build());
        altered.setSpec(new WeirMapChunk.Spec(spec.map(), spec.keySize(), spec.valueSize(), Base64.getEncoder().encodeToString(new byte[8]),
                spec.sha256(), spec.signature()));
        published.chunks.put(name, altered);
        assertThatThrownBy(() -> AGENT.check("node-1", published, 0)).hasMessageContaining("WeirMapChunk " + name + ": content does not match its sha256");
    }

    @Test
    void aTamperedProgramIsRefusedAloneAndNamed() {
        var published = published();
        String name = published.nodes.get("node-1").getSpec().pods().getFirst().ingressProgram();
        WeirProgram program = published.programs.get(name);
        WeirProgram.Spec spec = program.getSpec();
        byte[] allowAll = {(byte) 0xb7, 0, 0, 0, 0, 0, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0};
        program.setSpec(new WeirProgram.Spec(spec.programName(), spec.direction(), 2, Base64.getEncoder().encodeToString(allowAll), spec.maps(),
                spec.parts(), spec.compilerVersion(), spec.sha256(), spec.signature()));
        VerifiedNode verified = AGENT.check("node-1", published, 0);
        assertThat(verified.refused()).containsOnlyKeys(name);
        assertThat(verified.refused().get(name)).contains("content does not match its sha256");
        assertThat(verified.programs()).doesNotContainKey(name).isNotEmpty();
    }

    @Test
    void aSignedProgramTheLoaderRefusesIsRefusedBeforeTheKernel() {
        var published = published();
        WeirNode node = published.nodes.get("node-1");
        String name = node.getSpec().pods().getFirst().ingressProgram();
        WeirProgram.Spec spec = published.programs.get(name).getSpec();
        // Validly signed, but calls helper 999, which no tc program may: the interpreter's loader says so.
        byte[] badHelper = {(byte) 0x85, 0, 0, 0, (byte) 0xe7, 0x03, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0};
        var resigned = Artifacts.sign(new WeirProgram.Spec(spec.programName(), spec.direction(), 2, Base64.getEncoder().encodeToString(badHelper),
                spec.maps(), spec.parts(), spec.compilerVersion(), null, null), OPERATOR);
        var program = new WeirProgram();
        program.setMetadata(new ObjectMetaBuilder().withName(Artifacts.programName(resigned.sha256())).build());
        program.setSpec(resigned);
        published.programs.put(program.getMetadata().getName(), program);
        var pods = node.getSpec().pods().stream().map(p -> new WeirNode.Pod(p.namespace(), p.name(), p.hostInterface(), p.address(), p.identity(),
                program.getMetadata().getName(), p.egressProgram())).toList();
        var nodeSpec = node.getSpec();
        node.setSpec(Artifacts.sign("node-1", new WeirNode.Spec(4, nodeSpec.podCIDRs(), nodeSpec.addresses(), nodeSpec.maps(), pods, null, null), OPERATOR));
        VerifiedNode verified = AGENT.check("node-1", published, 3);
        assertThat(verified.refused()).containsOnlyKeys(program.getMetadata().getName());
        assertThat(verified.refused().values().iterator().next()).containsIgnoringCase("helper");
    }

    /** A namespace whose 3,000 ingress policies make a program in parts. */
    static ClusterState largeNamespace() {
        var builder = ClusterState.builder().namespace(new ClusterNamespace("x", Map.of()))
                .pod(new ClusterPod("x", "a", Map.of("app", "a"), "10.244.1.2", List.of()))
                .pod(new ClusterPod("x", "b", Map.of("app", "b"), "10.244.1.3", List.of()));
        for (int i = 0; i < 3_000; i++) {
            var rule = new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule(List.of(),
                    List.of(new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort(null, new io.fabric8.kubernetes.api.model.IntOrString(1000 + i), "TCP")));
            builder.policy(new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder()
                    .withNewMetadata().withNamespace("x").withName("p" + i).endMetadata()
                    .withNewSpec().withNewPodSelector().withMatchLabels(Map.of("app", "b")).endPodSelector()
                    .withPolicyTypes("Ingress").withIngress(rule).endSpec().build());
        }
        return builder.build();
    }

    @Test
    void aProgramInPartsPassesWithEveryPartAndIsRefusedWhenAPartIsAltered() {
        var published = new Published().publish(largeNamespace(), "node-1", OPERATOR, 3);
        String name = published.nodes.get("node-1").getSpec().pods().stream().filter(p -> p.name().equals("b")).findFirst().orElseThrow().ingressProgram();
        List<String> parts = published.programs.get(name).getSpec().parts();
        assertThat(parts).hasSizeGreaterThan(2);
        VerifiedNode verified = AGENT.check("node-1", published, 0);
        assertThat(verified.refused()).isEmpty();
        assertThat(verified.programs().get(name)).hasSize(parts.size() + 1);
        assertThat(verified.layout()).extracting(m -> m.name()).doesNotContain("weir_jumps");

        // A part not there yet is waited for; an altered one refuses the whole program.
        WeirProgram part = published.programs.remove(parts.get(1));
        assertThatThrownBy(() -> AGENT.check("node-1", published, 0)).isInstanceOf(ArtifactCheck.NotUsable.class)
                .hasMessage("WeirProgram " + parts.get(1) + " (a part of " + name + ") does not exist yet");
        WeirProgram.Spec spec = part.getSpec();
        byte[] allowAll = {(byte) 0xb7, 0, 0, 0, 0, 0, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0};
        var altered = new WeirProgram();
        altered.setMetadata(part.getMetadata());
        altered.setSpec(new WeirProgram.Spec(spec.programName(), spec.direction(), 2, Base64.getEncoder().encodeToString(allowAll), spec.maps(),
                spec.parts(), spec.compilerVersion(), spec.sha256(), spec.signature()));
        published.programs.put(parts.get(1), altered);
        VerifiedNode refused = AGENT.check("node-1", published, 0);
        assertThat(refused.refused()).containsOnlyKeys(name);
        assertThat(refused.refused().get(name)).contains("content does not match its sha256");
    }
}
