package dev.weir.compiler.simulate;

import static dev.weir.compiler.netpol.Policies.ingress;
import static dev.weir.compiler.netpol.Policies.ingressRules;
import static dev.weir.compiler.netpol.Policies.podPeer;
import static dev.weir.compiler.netpol.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.cluster.ClusterNamespace;
import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.abi.Reason;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.CompiledProgram;
import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.policy.Direction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Programs past what one kernel program holds: a rule with thousands of ports (far jumps, rules checked in
 * slices) and a namespace with thousands of policies (a program in tail-called parts). Verdicts are
 * checked on both sides of every slice and part boundary. Runs on the interpreter here and in the kernel in
 * {@link KernelLargeProgramsTest}.
 */
class LargeProgramsTest {

    static final PodRef SERVER = new PodRef("big", "server"), OTHER = new PodRef("big", "other"), CALM = new PodRef("calm", "pod");

    Datapath open(CompiledCluster compiled) {
        return Datapath.interpreter(compiled);
    }

    /** One ingress rule on the server allowing {@code ports} TCP ports 1000, 1000 + step, ... from app=client. */
    static ClusterState manyPorts(int ports, int step) {
        List<NetworkPolicyPort> list = IntStream.range(0, ports)
                .mapToObj(i -> new NetworkPolicyPort(null, new IntOrString(1000 + step * i), "TCP")).toList();
        return base()
                .policy(policy("big", "many-ports", selector("app", "server"),
                        ingressRules(ingress(List.of(podPeer(selector("app", "client"))), list))))
                .build();
    }

    /** {@code count} policies on the server, policy i allowing app=client on TCP port 1000 + i. */
    static ClusterState manyPolicies(int count) {
        var builder = base();
        for (int i = 0; i < count; i++) {
            builder.policy(policy("big", "p" + i, selector("app", "server"),
                    ingressRules(ingress(List.of(podPeer(selector("app", "client"))),
                            List.of(new NetworkPolicyPort(null, new IntOrString(1000 + i), "TCP"))))));
        }
        return builder.build();
    }

    private static ClusterState.Builder base() {
        return ClusterState.builder()
                .namespace(new ClusterNamespace("big", Map.of()))
                .namespace(new ClusterNamespace("calm", Map.of()))
                .pod(new ClusterPod("big", "server", Map.of("app", "server"), "10.0.0.1", List.of()))
                .pod(new ClusterPod("big", "client", Map.of("app", "client"), "10.0.0.2", List.of()))
                .pod(new ClusterPod("big", "other", Map.of("app", "other"), "10.0.0.3", List.of()))
                .pod(new ClusterPod("calm", "pod", Map.of(), "10.0.1.1", List.of()));
    }

    static LabelSelector selector(String key, String value) {
        return new LabelSelector(List.of(), Map.of(key, value));
    }

    @Test
    void aRuleWithEightThousandPortsCompilesAndMatchesEachPort() {
        CompiledCluster compiled = Compiler.compile(manyPorts(8_200, 2));
        assertThat(compiled.problems()).isEmpty();
        assertThat(compiled.warnings()).noneMatch(w -> w.contains("compiled"));
        CompiledProgram program = compiled.program(compiled.namespace("big").program(Direction.INGRESS));
        assertThat(program.instructions()).isGreaterThan(32_768); // past a conditional jump's reach
        assertThat(program.split()).isTrue();
        var ports = new ArrayList<Integer>();
        for (int i : List.of(0, 1, 255, 256, 257, 511, 512, 4_000, 8_198, 8_199)) ports.add(1000 + 2 * i);
        try (var simulator = new Simulator(compiled, open(compiled))) {
            for (int port : ports) {
                assertThat(simulator.connect(Target.pod(new PodRef("big", "client")), Target.pod(SERVER), port, Protocol.TCP).allowed())
                        .as("port %d", port).isTrue();
                assertThat(simulator.connect(Target.pod(OTHER), Target.pod(SERVER), port, Protocol.TCP).allowed())
                        .as("port %d from a pod the rule does not name", port).isFalse();
                assertThat(simulator.connect(Target.pod(new PodRef("big", "client")), Target.pod(SERVER), port + 1, Protocol.TCP).allowed())
                        .as("port %d, not in the list", port + 1).isFalse();
            }
            assertThat(simulator.connect(Target.pod(new PodRef("big", "client")), Target.pod(SERVER), 1000 + 2 * 8_200, Protocol.TCP).allowed()).isFalse();
            assertThat(simulator.connect(Target.pod(new PodRef("big", "client")), Target.pod(SERVER), 1000, Protocol.UDP).allowed()).isFalse();
            assertThat(simulator.connect(Target.pod(SERVER), Target.pod(CALM), 80, Protocol.TCP).allowed()).isTrue();
        }
    }

    @Test
    void threeThousandPoliciesRunInPartsWithTheRightPolicyNamed() {
        CompiledCluster compiled = Compiler.compile(manyPolicies(3_000));
        assertThat(compiled.problems()).isEmpty();
        CompiledProgram program = compiled.program(compiled.namespace("big").program(Direction.INGRESS));
        assertThat(program.parts()).hasSizeGreaterThan(2);
        try (var simulator = new Simulator(compiled, open(compiled))) {
            PodRef client = new PodRef("big", "client");
            for (int i : List.of(0, 1, 400, 401, 402, 1_500, 2_998, 2_999)) {
                Connection allowed = simulator.connect(Target.pod(client), Target.pod(SERVER), 1000 + i, Protocol.TCP);
                assertThat(allowed.allowed()).as("policy p%d", i).isTrue();
                Hop judged = allowed.request().get(1);
                assertThat(judged.reason()).isEqualTo(Reason.RULE);
                assertThat(judged.policy()).isEqualTo("big/p" + i);
                assertThat(simulator.connect(Target.pod(OTHER), Target.pod(SERVER), 1000 + i, Protocol.TCP).allowed()).isFalse();
            }
            Connection denied = simulator.connect(Target.pod(client), Target.pod(SERVER), 1000 + 3_000, Protocol.TCP);
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.request().get(1).reason()).isEqualTo(Reason.DEFAULT_DENY);
            // The default deny names the last policy (in program order) that selected the pod, from the last part.
            assertThat(denied.request().get(1).policy()).isEqualTo(compiled.namespace("big").policies(Direction.INGRESS).getLast());
            // Pods no policy selects pass, split program or not.
            assertThat(simulator.connect(Target.pod(SERVER), Target.pod(client), 1000 + 3_000, Protocol.TCP).allowed()).isTrue();
        }
    }

    @Test
    void aNamespaceTooLargeForAnyProgramFailsClosedAndTheOthersAreServed() {
        CompiledCluster compiled = Compiler.compile(manyPorts(60_000, 1));
        assertThat(compiled.warnings()).anySatisfy(w -> assertThat(w)
                .startsWith("namespace big, ingress: ").contains("more than the 34").contains("drops all ingress traffic"));
        try (var simulator = new Simulator(compiled, open(compiled))) {
            PodRef client = new PodRef("big", "client");
            assertThat(simulator.connect(Target.pod(client), Target.pod(SERVER), 1000, Protocol.TCP).allowed()).isFalse();
            // Pods the policy does not select, and other namespaces, are as they were.
            assertThat(simulator.connect(Target.pod(SERVER), Target.pod(client), 1000, Protocol.TCP).allowed()).isTrue();
            assertThat(simulator.connect(Target.pod(CALM), Target.pod(OTHER), 80, Protocol.TCP).allowed()).isTrue();
        }
    }
}
