package dev.weir.compiler.simulate;

import static dev.weir.compiler.netpol.Policies.egressRules;
import static dev.weir.compiler.netpol.Policies.ingressRules;
import static dev.weir.compiler.netpol.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.cluster.ClusterNamespace;
import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodPort;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.abi.Skb;
import dev.weir.compiler.abi.Reason;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.compile.Numbering;
import dev.weir.compiler.policy.Direction;
import dev.weir.datapath.packet.Frames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the compiled programs do with single packets: connection tracking, parsing corners, named ports and
 * the reasons they report. Runs on the interpreter here and on the kernel in {@link KernelDatapathBehaviourTest}.
 */
class DatapathBehaviourTest {

    static final PodRef A = new PodRef("x", "a"), B = new PodRef("x", "b"), C = new PodRef("x", "c");
    static final int IP_A = Frames.ip("10.0.0.1"), IP_B = Frames.ip("10.0.0.2"), IP_C = Frames.ip("10.0.0.3");
    static final int NODE = Frames.ip("10.0.0.254");

    /**
     * x/b: ingress only from app=a on its named port "http" (8080/TCP); x/c: egress isolated, nothing allowed.
     * x/a is not isolated.
     */
    static ClusterState cluster() {
        var ruleFromA = new NetworkPolicyIngressRule(
                List.of(new NetworkPolicyPeer(null, null, new LabelSelector(List.of(), Map.of("app", "a")))),
                List.of(new NetworkPolicyPort(null, new IntOrString("http"), "TCP")));
        return ClusterState.builder()
                .namespace(new ClusterNamespace("x", Map.of()))
                .pod(new ClusterPod("x", "a", Map.of("app", "a"), "10.0.0.1", List.of()))
                .pod(new ClusterPod("x", "b", Map.of("app", "b"), "10.0.0.2", List.of(new PodPort("http", 8080, Protocol.TCP))))
                .pod(new ClusterPod("x", "c", Map.of("app", "c"), "10.0.0.3", List.of()))
                .policy(policy("x", "b-from-a", new LabelSelector(List.of(), Map.of("app", "b")), ingressRules(ruleFromA)))
                .policy(policy("x", "c-no-egress", new LabelSelector(List.of(), Map.of("app", "c")), egressRules()))
                .build();
    }

    CompiledCluster compiled;
    Datapath datapath;

    Datapath open(CompiledCluster compiled) {
        return Datapath.interpreter(compiled);
    }

    @BeforeEach
    void load() {
        compiled = Compiler.compile(cluster(), Numbering.NONE, List.of(NODE));
        assertThat(compiled.problems()).isEmpty();
        datapath = open(compiled);
    }

    @AfterEach
    void close() {
        datapath.close();
    }

    Datapath.HookRun run(PodRef pod, Direction direction, byte[] frame) {
        return datapath.run(compiled.namespace(pod.namespace()).program(direction), compiled.endpoint(pod).orElseThrow(), frame);
    }

    static Reason reason(Datapath.HookRun run) {
        return Reason.of(run.cb()[0]);
    }

    @Test
    void namedPortResolvesOnTheDestinationPod() {
        byte[] to8080 = Frames.tcp(IP_A, IP_B, 40000, 8080, Frames.TCP_SYN);
        Datapath.HookRun allowed = run(B, Direction.INGRESS, to8080);
        assertThat(allowed.action()).isEqualTo(Skb.TC_ACT_OK);
        assertThat(reason(allowed)).isEqualTo(Reason.RULE);
        assertThat(allowed.cb()[1]).isEqualTo(1); // x/b-from-a, the first ingress policy of x
        assertThat(allowed.cb()[2]).isEqualTo(1); // its ingress[0]

        Datapath.HookRun denied = run(B, Direction.INGRESS, Frames.tcp(IP_A, IP_B, 40000, 80, Frames.TCP_SYN));
        assertThat(denied.action()).isEqualTo(Skb.TC_ACT_SHOT);
        assertThat(reason(denied)).isEqualTo(Reason.DEFAULT_DENY);
        assertThat(denied.cb()[1]).isEqualTo(1);
    }

    @Test
    void packetsOfAnAllowedConnectionAreEstablished() {
        byte[] request = Frames.tcp(IP_A, IP_B, 40001, 8080, Frames.TCP_SYN);
        byte[] reply = Frames.tcp(IP_B, IP_A, 8080, 40001, Frames.TCP_SYN | Frames.TCP_ACK);
        assertThat(reason(run(A, Direction.EGRESS, request))).isEqualTo(Reason.NOT_ISOLATED);
        assertThat(reason(run(B, Direction.INGRESS, request))).isEqualTo(Reason.RULE);
        assertThat(reason(run(B, Direction.EGRESS, reply))).isEqualTo(Reason.ESTABLISHED);
        assertThat(reason(run(A, Direction.INGRESS, reply))).isEqualTo(Reason.ESTABLISHED);
        byte[] ack = Frames.tcp(IP_A, IP_B, 40001, 8080, Frames.TCP_ACK);
        assertThat(reason(run(B, Direction.INGRESS, ack))).isEqualTo(Reason.ESTABLISHED);
        assertThat(reason(run(B, Direction.INGRESS, request))).as("a SYN again: a new connection, judged again").isEqualTo(Reason.RULE);
    }

    @Test
    void oneHookAllowingAConnectionDoesNotOpenTheOtherHook() {
        // x/a's egress allows and records the connection; x/b's ingress must still judge it (port 80: denied).
        byte[] request = Frames.tcp(IP_A, IP_B, 40002, 80, Frames.TCP_SYN);
        assertThat(reason(run(A, Direction.EGRESS, request))).isEqualTo(Reason.NOT_ISOLATED);
        assertThat(reason(run(B, Direction.INGRESS, request))).isEqualTo(Reason.DEFAULT_DENY);
        assertThat(reason(run(B, Direction.INGRESS, request))).isEqualTo(Reason.DEFAULT_DENY);
    }

    @Test
    void repliesPassAPodIsolatedInTheirDirection() {
        // x/b opens a connection to x/a; x/b's ingress isolation must not drop the reply.
        byte[] request = Frames.udp(IP_B, IP_A, 40003, 53, new byte[4]);
        byte[] reply = Frames.udp(IP_A, IP_B, 53, 40003, new byte[4]);
        assertThat(reason(run(B, Direction.EGRESS, request))).isEqualTo(Reason.NOT_ISOLATED);
        assertThat(reason(run(A, Direction.INGRESS, request))).isEqualTo(Reason.NOT_ISOLATED);
        assertThat(reason(run(A, Direction.EGRESS, reply))).isEqualTo(Reason.ESTABLISHED);
        Datapath.HookRun atB = run(B, Direction.INGRESS, reply);
        assertThat(atB.action()).isEqualTo(Skb.TC_ACT_OK);
        assertThat(reason(atB)).isEqualTo(Reason.ESTABLISHED);
        // The same packet without the connection: denied.
        datapath.forgetConnection(dev.weir.compiler.abi.WeirMaps.connectionKey(IP_B, IP_A, 40003, 53, 17));
        assertThat(reason(run(B, Direction.INGRESS, reply))).isEqualTo(Reason.DEFAULT_DENY);
    }

    @Test
    void trafficToAndFromTheNodeIsAlwaysAllowed() {
        // x/b admits only app=a on "http"; the node (kubelet probes) gets in on any port.
        Datapath.HookRun probe = run(B, Direction.INGRESS, Frames.tcp(NODE, IP_B, 40010, 80, Frames.TCP_SYN));
        assertThat(probe.action()).isEqualTo(Skb.TC_ACT_OK);
        assertThat(reason(probe)).isEqualTo(Reason.HOST);
        // x/c may send nothing, except to the node.
        assertThat(reason(run(C, Direction.EGRESS, Frames.udp(IP_C, NODE, 40011, 53, new byte[4])))).isEqualTo(Reason.HOST);
        assertThat(reason(run(C, Direction.EGRESS, Frames.udp(IP_C, IP_A, 40011, 53, new byte[4])))).isEqualTo(Reason.DEFAULT_DENY);
    }

    @Test
    void connectionsOfAnAddressThatLeftItsPodAreForgotten() {
        byte[] request = Frames.tcp(IP_A, IP_B, 40012, 8080, Frames.TCP_SYN);
        run(A, Direction.EGRESS, request);
        run(B, Direction.INGRESS, request);
        run(C, Direction.EGRESS, Frames.tcp(IP_C, NODE, 40013, 22, Frames.TCP_SYN));
        byte[] ack = Frames.tcp(IP_A, IP_B, 40012, 8080, Frames.TCP_ACK);
        assertThat(reason(run(B, Direction.INGRESS, ack))).isEqualTo(Reason.ESTABLISHED);

        assertThat(datapath.forgetConnectionsOf(IP_A)).isEqualTo(1);
        assertThat(reason(run(B, Direction.INGRESS, ack))).isEqualTo(Reason.RULE); // judged again
        assertThat(datapath.forgetConnectionsOf(IP_A)).isEqualTo(1);                  // (which tracked it again)
        assertThat(datapath.forgetConnectionsOf(Frames.ip("10.0.0.99"))).isZero();
    }

    @Test
    void aPodTalkingToItselfIsNeverBlocked() {
        Datapath.HookRun run = run(C, Direction.EGRESS, Frames.tcp(IP_C, IP_C, 40004, 9, Frames.TCP_SYN));
        assertThat(run.action()).isEqualTo(Skb.TC_ACT_OK);
        assertThat(reason(run)).isEqualTo(Reason.SELF);
    }

    @Test
    void aPodCannotSpoofAnotherPodsAddressNorOpenConnectionsForIt() {
        // x/a (not isolated) sends as x/b from its own interface: dropped before connection tracking.
        byte[] spoofed = Frames.tcp(IP_B, IP_C, 8080, 40005, Frames.TCP_SYN);
        Datapath.HookRun run = run(A, Direction.EGRESS, spoofed);
        assertThat(run.action()).isEqualTo(Skb.TC_ACT_SHOT);
        assertThat(reason(run)).isEqualTo(Reason.ADDRESS_MISMATCH);
        assertThat(reason(run(A, Direction.EGRESS, Frames.tcp(Frames.ip("10.9.9.9"), IP_C, 1, 2, Frames.TCP_SYN))))
                .isEqualTo(Reason.ADDRESS_MISMATCH);
        // So x/c's connection back on that tuple is still judged (x/c may send nothing).
        assertThat(reason(run(C, Direction.EGRESS, Frames.tcp(IP_C, IP_B, 40005, 8080, Frames.TCP_SYN)))).isEqualTo(Reason.DEFAULT_DENY);
        // A packet for another address arriving on x/b's interface is dropped too.
        assertThat(reason(run(B, Direction.INGRESS, Frames.tcp(IP_A, IP_C, 40006, 80, Frames.TCP_SYN)))).isEqualTo(Reason.ADDRESS_MISMATCH);
    }

    @Test
    void nonIpv4PassesIpv6AndBrokenIpv4Drop() {
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertThat(reason(run(B, Direction.INGRESS, arp))).isEqualTo(Reason.NOT_IPV4);

        byte[] ipv6 = new byte[54];
        ipv6[12] = (byte) 0x86;
        ipv6[13] = (byte) 0xdd;
        ipv6[14] = 0x60;
        Datapath.HookRun v6 = run(B, Direction.INGRESS, ipv6);
        assertThat(v6.action()).isEqualTo(Skb.TC_ACT_SHOT);
        assertThat(reason(v6)).isEqualTo(Reason.IPV6);

        byte[] fragment = Frames.tcp(IP_A, IP_B, 40006, 8080, Frames.TCP_SYN);
        fragment[20] = 0x00;
        fragment[21] = 0x10; // fragment offset 16 (x 8 bytes)
        assertThat(reason(run(B, Direction.INGRESS, fragment))).isEqualTo(Reason.FRAGMENT);

        // IPv4 header complete, TCP header cut after 2 bytes (BPF_PROG_TEST_RUN refuses shorter IPv4 frames).
        byte[] truncated = java.util.Arrays.copyOf(Frames.tcp(IP_A, IP_B, 40007, 8080, Frames.TCP_SYN), 36);
        assertThat(reason(run(B, Direction.INGRESS, truncated))).isEqualTo(Reason.MALFORMED);

        byte[] badHeaderLength = Frames.tcp(IP_A, IP_B, 40008, 8080, Frames.TCP_SYN);
        badHeaderLength[14] = 0x44;
        assertThat(reason(run(B, Direction.INGRESS, badHeaderLength))).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void portsAreFoundAfterIpOptions() {
        byte[] plain = Frames.tcp(IP_A, IP_B, 40009, 8080, Frames.TCP_SYN);
        // Insert 4 bytes of options (NOP x4): IHL 6.
        byte[] withOptions = new byte[plain.length + 4];
        System.arraycopy(plain, 0, withOptions, 0, 34);
        withOptions[34] = withOptions[35] = withOptions[36] = withOptions[37] = 1;
        System.arraycopy(plain, 34, withOptions, 38, plain.length - 34);
        withOptions[14] = 0x46;
        assertThat(reason(run(B, Direction.INGRESS, withOptions))).isEqualTo(Reason.RULE);
    }

    @Test
    void theSimulatorExplainsEachHop() {
        try (var simulator = new Simulator(compiled, open(compiled))) {
            Connection allowed = simulator.connect(Target.pod(A), Target.pod(B), 8080, Protocol.TCP);
            assertThat(allowed.allowed()).isTrue();
            assertThat(allowed.request()).extracting(Hop::explain)
                    .containsExactly("allowed: no policy isolates the pod in this direction", "allowed by x/b-from-a ingress[0]");
            assertThat(allowed.reply()).extracting(Hop::reason).containsExactly(Reason.ESTABLISHED, Reason.ESTABLISHED);

            Connection denied = simulator.connect(Target.pod(C), Target.pod(A), 80, Protocol.TCP);
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.request()).hasSize(1);
            assertThat(denied.request().getFirst().explain()).startsWith("denied: default deny by x/c-no-egress");
            assertThat(denied.reply()).isEmpty();

            Connection fromOutside = simulator.connect(Target.address(Frames.ip("192.0.2.1")), Target.pod(B), 8080, Protocol.TCP);
            assertThat(fromOutside.allowed()).isFalse();
        }
    }
}
