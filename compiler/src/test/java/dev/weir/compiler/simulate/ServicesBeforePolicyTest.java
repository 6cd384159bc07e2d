package dev.weir.compiler.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.abi.Reason;
import dev.weir.compiler.cluster.ClusterLoader;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.policy.Direction;
import dev.weir.datapath.packet.Frames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections to Service addresses, through the compiled programs: the client's egress program translates to
 * a backend before policy, so NetworkPolicy judges the backend pod (its identity, its port), as the API
 * defines, and never the ClusterIP. Interpreter here, kernel in {@link KernelServicesBeforePolicyTest}.
 */
class ServicesBeforePolicyTest {
    static final PodRef A = new PodRef("x", "a"), B = new PodRef("x", "b"), DB1 = new PodRef("y", "db-1"), DB2 = new PodRef("y", "db-2");
    static final int DB_VIP = Frames.ip("10.96.0.10"), EMPTY_VIP = Frames.ip("10.96.0.11");

    @TempDir
    Path folder;

    Datapath open(CompiledCluster compiled) {
        return Datapath.interpreter(compiled);
    }

    static final String CLUSTER = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: x}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: y, labels: {team: data}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {namespace: x, name: a, labels: {app: a}}
            spec: {containers: [{name: c, image: i}]}
            status: {podIP: 10.0.0.1}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {namespace: x, name: b, labels: {app: b}}
            spec: {containers: [{name: c, image: i}]}
            status: {podIP: 10.0.0.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {namespace: y, name: db-1, labels: {app: db}}
            spec: {containers: [{name: c, image: i, ports: [{name: pg, containerPort: 5432}]}]}
            status: {podIP: 10.0.1.1}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {namespace: y, name: db-2, labels: {app: db}}
            spec: {containers: [{name: c, image: i, ports: [{name: pg, containerPort: 6432}]}]}
            status: {podIP: 10.0.1.2}
            ---
            apiVersion: v1
            kind: Service
            metadata: {namespace: y, name: db}
            spec:
              clusterIP: 10.96.0.10
              selector: {app: db}
              ports: [{name: pg, port: 5432, targetPort: pg}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {namespace: y, name: empty}
            spec:
              clusterIP: 10.96.0.11
              selector: {app: nobody}
              ports: [{port: 80}]
            """;

    static final String A_TO_DB_ONLY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {namespace: x, name: a-to-db}
            spec:
              podSelector: {matchLabels: {app: a}}
              policyTypes: [Egress]
              egress:
              - to: [{namespaceSelector: {matchLabels: {team: data}}, podSelector: {matchLabels: {app: db}}}]
                ports: [{port: pg}]
            """;

    static final String A_TO_B_ONLY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {namespace: x, name: a-to-b}
            spec:
              podSelector: {matchLabels: {app: a}}
              policyTypes: [Egress]
              egress:
              - to: [{podSelector: {matchLabels: {app: b}}}]
            """;

    static final String DB_FROM_A_ONLY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {namespace: y, name: db-from-a}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: a}}}]
            """;

    Connection connect(PodRef from, int address, int port, String... policies) {
        CompiledCluster compiled = compile(policies);
        try (var simulator = new Simulator(compiled, open(compiled))) {
            return simulator.connect(Target.pod(from), Target.address(address), port, Protocol.TCP);
        }
    }

    CompiledCluster compile(String... policies) {
        return Compiler.compile(load(policies));
    }

    ClusterState load(String... policies) {
        try {
            Files.writeString(folder.resolve("00-cluster.yaml"), CLUSTER);
            for (int i = 0; i < policies.length; i++) Files.writeString(folder.resolve("10-policy-" + i + ".yaml"), policies[i]);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        var warnings = new ArrayList<String>();
        ClusterState cluster = ClusterLoader.load(folder, warnings::add);
        assertThat(warnings).isEmpty();
        return cluster;
    }

    @Test
    void withoutPoliciesAConnectionReachesABackendOnItsNamedPortAndTheReplyComesFromTheService() {
        Connection connection = connect(A, DB_VIP, 5432);
        assertThat(connection.allowed()).isTrue();
        Translation translation = connection.translation();
        assertThat(translation.backendPod()).isIn(DB1, DB2);
        assertThat(translation.backendPort()).as("targetPort pg, resolved per pod").isEqualTo(translation.backendPod().equals(DB1) ? 5432 : 6432);
        assertThat(translation.replyRestored()).isTrue();
        assertThat(connection.to()).isEqualTo(Target.pod(translation.backendPod()));
        assertThat(connection.request()).extracting(Hop::pod).containsExactly(A, translation.backendPod());
    }

    @Test
    void egressPolicyJudgesTheBackendPodNotTheClusterIp() {
        Connection connection = connect(A, DB_VIP, 5432, A_TO_DB_ONLY);
        assertThat(connection.allowed()).as("allowed to the db pods on pg: so through their Service too").isTrue();
        assertThat(connection.request().getFirst().reason()).isEqualTo(Reason.RULE);
        assertThat(connection.request().getFirst().policy()).isEqualTo("x/a-to-db");
    }

    @Test
    void egressPolicyThatDoesNotAllowTheBackendBlocksAndNamesIt() {
        Connection connection = connect(A, DB_VIP, 5432, A_TO_B_ONLY);
        assertThat(connection.allowed()).isFalse();
        Hop egress = connection.request().getFirst();
        assertThat(egress.direction()).isEqualTo(Direction.EGRESS);
        assertThat(egress.reason()).isEqualTo(Reason.DEFAULT_DENY);
        assertThat(connection.translation().backendPod()).isIn(DB1, DB2);
        assertThat(connect(A, Frames.ip("10.0.0.2"), 80, A_TO_B_ONLY).allowed()).as("what it does allow still passes").isTrue();
    }

    @Test
    void theBackendsIngressPolicyJudgesTheClient() {
        assertThat(connect(A, DB_VIP, 5432, DB_FROM_A_ONLY).allowed()).isTrue();
        Connection fromB = connect(B, DB_VIP, 5432, DB_FROM_A_ONLY);
        assertThat(fromB.allowed()).isFalse();
        Hop blocked = fromB.request().getLast();
        assertThat(blocked.direction()).isEqualTo(Direction.INGRESS);
        assertThat(blocked.pod()).isEqualTo(fromB.translation().backendPod());
        assertThat(blocked.reason()).isEqualTo(Reason.DEFAULT_DENY);
    }

    @Test
    void aServiceWithoutEndpointsRefusesAtTheClientsEgress() {
        Connection connection = connect(A, EMPTY_VIP, 80);
        assertThat(connection.allowed()).isFalse();
        assertThat(connection.translation()).isNull();
        assertThat(connection.request()).singleElement().satisfies(hop -> assertThat(hop.reason()).isEqualTo(Reason.NO_BACKEND));
        assertThat(connect(A, DB_VIP, 5433).translation()).as("a port the Service does not have is no Service address").isNull();
    }

    /**
     * Maglev on the real maps: of many flows to a Service of ten backends, about a tenth move when one backend
     * leaves, and only those that were on it.
     */
    @Test
    void oneOfTenBackendsLeavingMovesAboutATenthOfTheFlows() throws IOException {
        var yaml = new StringBuilder(CLUSTER);
        for (int i = 1; i <= 10; i++) {
            yaml.append("""
                    ---
                    apiVersion: v1
                    kind: Pod
                    metadata: {namespace: y, name: web-%d, labels: {app: web}}
                    spec: {containers: [{name: c, image: i}]}
                    status: {podIP: 10.0.2.%d}
                    """.formatted(i, i));
        }
        yaml.append("""
                ---
                apiVersion: v1
                kind: Service
                metadata: {namespace: y, name: web}
                spec: {clusterIP: 10.96.0.20, selector: {app: web}, ports: [{port: 80}]}
                """);
        Files.writeString(folder.resolve("00-cluster.yaml"), yaml);
        Map<Integer, Integer> before = backendsByClientPort(ClusterLoader.load(folder, w -> {}));
        String withoutWeb10 = yaml.toString().replace("name: web-10, labels: {app: web}", "name: web-10, labels: {app: gone}");
        Files.writeString(folder.resolve("00-cluster.yaml"), withoutWeb10);
        Map<Integer, Integer> after = backendsByClientPort(ClusterLoader.load(folder, w -> {}));
        int leaving = Frames.ip("10.0.2.10");
        long moved = before.keySet().stream().filter(port -> !before.get(port).equals(after.get(port))).count();
        long movedNeedlessly = before.keySet().stream()
                .filter(port -> before.get(port) != leaving && !before.get(port).equals(after.get(port))).count();
        assertThat(before.values()).contains(leaving);
        assertThat(after.values()).doesNotContain(leaving);
        assertThat((double) moved / before.size()).as("share of flows moved").isBetween(0.06, 0.15);
        assertThat((double) movedNeedlessly / before.size()).as("flows moved off a backend that stayed").isLessThan(0.03);
    }

    /** The backend the client's egress program picks for each of 2,000 client ports (fresh maps each time). */
    private Map<Integer, Integer> backendsByClientPort(ClusterState cluster) {
        CompiledCluster compiled = Compiler.compile(cluster);
        var chosen = new HashMap<Integer, Integer>();
        try (Datapath datapath = open(compiled)) {
            String program = compiled.namespace("x").program(Direction.EGRESS);
            var client = compiled.endpoint(A).orElseThrow();
            for (int port = 20_000; port < 22_000; port++) {
                byte[] frame = Frames.tcp(client.ipv4(), Frames.ip("10.96.0.20"), port, 80, Frames.TCP_SYN);
                byte[] out = datapath.run(program, client, frame).packet();
                chosen.put(port, java.nio.ByteBuffer.wrap(out).getInt(30));
            }
        }
        return chosen;
    }
}
