package dev.weir.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.agent.AgentMetrics;
import dev.weir.agent.Netns;
import dev.weir.agent.enforce.NodeDatapath;
import dev.weir.agent.network.PodNetwork;
import dev.weir.compiler.cluster.ClusterNamespace;
import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.compile.Compiler;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import dev.weir.crds.signing.ArtifactSigner;
import dev.weir.crds.signing.Artifacts;
import dev.weir.crds.signing.Ed25519Keys;
import dev.weir.datapath.kernel.KernelTest;
import dev.weir.operator.publish.DesiredState;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The agent's control loop against Fabric8's mock API server in CRUD mode (a stand-in: no API server runs
 * here) and the real kernel: it applies its node's signed state and reports in the WeirNode's status; a
 * program the kernel refuses becomes a Warning Event and a metric; a replayed older spec is not applied, even by an agent started after it was put back.
 */
@KernelTest
@EnableKubernetesMockClient(crud = true)
class NodeWatcherTest {
    static final ArtifactSigner OPERATOR = new ArtifactSigner(Ed25519Keys.generate());

    KubernetesClient client;

    @org.junit.jupiter.api.io.TempDir
    Path state;

    static ClusterState cluster() {
        return ClusterState.builder().namespace(new ClusterNamespace("x", Map.of()))
                .pod(new ClusterPod("x", "a", Map.of("app", "a"), "10.244.3.2", List.of()))
                .build();
    }

    void publish(DesiredState desired) {
        desired.programs().forEach(p -> client.resources(WeirProgram.class).resource(p).createOr(e -> e.update()));
        desired.chunks().forEach(c -> client.resources(WeirMapChunk.class).resource(c).createOr(e -> e.update()));
        desired.nodes().forEach(n -> client.resources(WeirNode.class).resource(n).createOr(e -> e.update()));
    }

    WeirNode node() {
        return client.resources(WeirNode.class).withName("node-1").get();
    }

    @Test
    void appliesReportsRefusalsAndIgnoresReplays() {
        var compiled = Compiler.compile(cluster());
        DesiredState first = DesiredState.of(compiled, Map.of(new PodRef("x", "a"), "node-1"), OPERATOR, 1, "test");
        publish(first);
        Path pins = Path.of("/sys/fs/bpf", "weir-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        var metrics = new AgentMetrics();
        try (var nodeNs = Netns.create("weir-node-")) {
            var datapath = new NodeDatapath(pins, new PodNetwork(nodeNs.path()));
            try (var watcher = new NodeWatcher(client, new NodeWatcher.Watched("node-1", "weir-system", OPERATOR.publicKey()), datapath, metrics, verified -> {},
                    new GenerationFile(state.resolve("generation")))) {
                assertThat(watcher.notReadyBecause()).isNotNull();
                watcher.start();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(node().getStatus()).isNotNull();
                    assertThat(node().getStatus().loadedGeneration()).isEqualTo(1);
                    assertThat(node().getStatus().message()).isEqualTo("running generation 1");
                });
                assertThat(watcher.notReadyBecause()).isNull();
                assertThat(metrics.render()).contains("weir_agent_generation 1");

                // Generation 2 names a validly signed program the kernel verifier refuses.
                WeirNode.Spec spec = first.nodes().getFirst().getSpec();
                WeirProgram.Spec good = first.programs().getFirst().getSpec();
                byte[] uninitialised = {(byte) 0xbf, 0x20, 0, 0, 0, 0, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0};
                var bad = Artifacts.sign(new WeirProgram.Spec(good.programName(), good.direction(), 2, Base64.getEncoder().encodeToString(uninitialised),
                        good.maps(), good.parts(), good.compilerVersion(), null, null), OPERATOR);
                var program = new WeirProgram();
                program.setMetadata(new ObjectMetaBuilder().withName(Artifacts.programName(bad.sha256())).build());
                program.setSpec(bad);
                client.resources(WeirProgram.class).resource(program).create();
                var pods = spec.pods().stream().map(p -> new WeirNode.Pod(p.namespace(), p.name(), p.hostInterface(), p.address(), p.identity(),
                        program.getMetadata().getName(), p.egressProgram())).toList();
                var second = new WeirNode();
                second.setMetadata(new ObjectMetaBuilder().withName("node-1").build());
                second.setSpec(Artifacts.sign("node-1", new WeirNode.Spec(2, spec.podCIDRs(), spec.addresses(), spec.maps(), pods, null, null), OPERATOR));
                client.resources(WeirNode.class).resource(second).update();
                // (The mock's update replaces the status too, which a real API server keeps: the agent writes it again.)
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(node().getStatus()).isNotNull();
                    assertThat(node().getStatus().loadedGeneration()).isEqualTo(2);
                    assertThat(node().getStatus().message()).contains("1 program(s) refused");
                    assertThat(client.v1().events().inNamespace("default").list().getItems()).anySatisfy(event -> {
                        assertThat(event.getReason()).isEqualTo("ProgramRefused");
                        assertThat(event.getInvolvedObject().getName()).isEqualTo("node-1");
                        assertThat(event.getMessage()).startsWith(program.getMetadata().getName() + ": ").contains("EACCES");
                    });
                });
                assertThat(metrics.render()).contains("weir_agent_artifacts_refused_total 1");
            } finally {
                datapath.close(); // the agent stops; its pins and kept generation stay
            }
            // The generation-1 spec put back (validly signed, but older) while no agent runs: the next agent
            // does not apply it, and says so.
            client.resources(WeirNode.class).resource(first.nodes().getFirst()).update();
            var restarted = new NodeDatapath(pins, new PodNetwork(nodeNs.path()));
            try (var watcher = new NodeWatcher(client, new NodeWatcher.Watched("node-1", "weir-system", OPERATOR.publicKey()), restarted, new AgentMetrics(), verified -> {},
                    new GenerationFile(state.resolve("generation")))) {
                watcher.start();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(node().getStatus()).isNotNull();
                    assertThat(node().getStatus().message()).contains("generation 1 is older than the running 2");
                });
                assertThat(restarted.generation()).isZero();
            } finally {
                restarted.uninstall();
            }
        }
    }
}
