package dev.weir.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.simulate.Datapath;
import dev.weir.compiler.simulate.Simulator;
import dev.weir.compiler.simulate.Target;
import dev.weir.crds.WeirNode;
import dev.weir.datapath.kernel.KernelTest;
import dev.weir.datapath.kernel.IpRoute2;
import dev.weir.datapath.kernel.NetNs;
import dev.weir.operator.cluster.ClusterView;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node in miniature, on this machine's kernel: the API server's stand-in (Fabric8's mock server in
 * CRUD mode, over HTTP), the operator and the agent as their own processes (`weir operator`, `weir agent`),
 * and nine pods (x, y, z
 * times a, b, c) in network namespaces, added by running the installed CNI plugin exactly as a runtime
 * does. Policies go through the API; every pair is probed with real TCP and UDP on ports 80 and 81, and the
 * observed matrix must equal what `weir reachability` computes for the same state, at every step. The
 * agent is killed with SIGKILL while a connection is open; enforcement and the connection survive, and a
 * new agent takes over.
 */
@KernelTest
class NodeInMiniatureTest {
    static final String NODE = "node-1";
    static final List<String> NAMESPACES = List.of("x", "y", "z"), PODS = List.of("a", "b", "c");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    final Map<String, TestPod> pods = new LinkedHashMap<>();
    ApiStandIn api;
    String pluginConfig;

    @Test
    void theObservedMatrixFollowsThePoliciesThroughChangesAndAnAgentKill() throws Exception {
        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 5);
        Path pins = Path.of("/sys/fs/bpf", "weir-e2e-" + run);
        String nodeNetns = "weir-e2e-" + run + "-node";
        WeirProcess agent = null;
        WeirProcess operator = null;
        try {
            api = new ApiStandIn(dir);
            IpRoute2.ip("netns", "add", nodeNetns);
            api.client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata()
                    .withNewSpec().withPodCIDR("10.244.1.0/24").withPodCIDRs("10.244.1.0/24").endSpec().build()).create();
            for (String ns : NAMESPACES) {
                api.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).addToLabels("ns", ns).endMetadata().build()).create();
            }
            operator = WeirProcess.operator(dir, api.kubeconfig);
            agent = WeirProcess.start(dir, api.kubeconfig, NODE, NetNs.named(nodeNetns), pins);
            WeirProcess started = agent;
            await("the agent ready").atMost(Duration.ofSeconds(120)).until(() -> started.readiness().startsWith("200"));
            pluginConfig = pluginConfig(dir.resolve("net.d").resolve("05-weir.conflist"));

            for (String ns : NAMESPACES) {
                for (String name : PODS) addPod(ns, name, run);
            }
            long generation = converge(0);
            assertMatrix("no policies");

            // Policies through the API.
            apply(denyIngress("x"));
            apply(allow("x", "allow-y-to-a", Map.of("pod", "a"), Map.of("ns", "y"), null, 80, "TCP"));
            apply(egressOnly("z", "c-egress", Map.of("pod", "c"), Map.of("ns", "x"), Map.of("pod", "a"), 81));
            apply(allow("x", "sctp-to-b", Map.of("pod", "b"), Map.of("ns", "y"), null, 80, "SCTP"));
            generation = converge(generation);
            assertMatrix("four policies");
            assertSctp("four policies", 80);

            apply(allow("x", "allow-y-to-a", Map.of("pod", "a"), Map.of("ns", "y"), Map.of("pod", "b"), 81, "UDP"));
            generation = converge(generation);
            assertMatrix("allow-y-to-a updated");

            api.client.network().v1().networkPolicies().inNamespace("x").withName("deny-ingress").delete();
            apply(allow("y", "b-from-z", Map.of("pod", "b"), Map.of("ns", "z"), null, 80, "TCP"));
            generation = converge(generation);
            assertMatrix("deny-ingress deleted, b-from-z added");

            api.client.pods().inNamespace("y").withName("b").edit(p -> new PodBuilder(p).editMetadata().addToLabels("pod", "bb").endMetadata().build());
            api.client.namespaces().withName("z").edit(n -> new NamespaceBuilder(n).editMetadata().addToLabels("ns", "zz").endMetadata().build());
            generation = converge(generation);
            assertMatrix("pod y/b and namespace z relabelled");

            // SIGKILL the agent with a connection open: x/a <- z/c on 81 is allowed by c-egress... use y/a -> x/a:80.
            apply(allow("x", "a-from-y", Map.of("pod", "a"), Map.of("ns", "y"), null, 80, "TCP"));
            generation = converge(generation);
            try (Socket held = pods.get("y/a").hold(pods.get("x/a"), 80)) {
                echo(held, "before");
                agent.kill();
                assertThat(agent.alive()).isFalse();
                echo(held, "agent dead");
                assertMatrix("agent dead");
                agent = WeirProcess.start(dir, api.kubeconfig, NODE, NetNs.named(nodeNetns), pins);
                WeirProcess restarted = agent;
                await("the new agent ready").atMost(Duration.ofSeconds(120)).until(() -> restarted.readiness().startsWith("200"));
                echo(held, "new agent");
                api.client.network().v1().networkPolicies().inNamespace("z").withName("c-egress").delete();
                generation = converge(generation);
                echo(held, "after a change");
                assertMatrix("c-egress deleted under the new agent");
            }
            assertThat(agent.metrics()).contains("weir_agent_endpoints_enforced 9")
                    .containsPattern("weir_agent_endpoint_packets_total\\{interface=\"weir[0-9a-f]{11}\",pod=\"x/a\",verdict=\"dropped\"} [1-9]");

            // DEL through the plugin for every pod: interfaces and hooks go.
            for (TestPod pod : pods.values()) {
                var deleted = cni(dir, pluginConfig, "DEL", pod);
                assertThat(deleted.exit()).as(deleted.stdout()).isZero();
            }
            assertThat(Files.list(pins.resolve("links")).toList()).isEmpty();
        } finally {
            pods.values().forEach(TestPod::close);
            if (agent != null) {
                agent.close();
                if (Files.exists(agent.log)) System.out.println("agent log tail:\n" + tail(agent.log));
            }
            if (operator != null) {
                operator.close();
                if (Files.exists(operator.log)) System.out.println("operator log tail:\n" + tail(operator.log));
            }
            IpRoute2.tryIp("netns", "del", nodeNetns);
            deleteTree(pins);
            if (api != null) api.close();
        }
        assertThat(Files.exists(pins)).isFalse();
    }

    // ---- the runtime's part

    void addPod(String ns, String name, String run) throws Exception {
        api.client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).addToLabels("pod", name).endMetadata()
                .withNewSpec().withNodeName(NODE).addNewContainer().withName("app").withImage("weir/e2e").endContainer().endSpec().build()).create();
        TestPod pod = new TestPod(ns, name, run);
        pods.put(pod.ref(), pod);
        CniRun added = cni(dir, pluginConfig, "ADD", pod);
        assertThat(added.exit()).as(added.stdout()).isZero();
        JsonNode result = JSON.readTree(added.stdout());
        pod.address = result.path("ips").path(0).path("address").asText().replace("/32", "");
        // The kubelet reports the address in the pod's status.
        Pod object = api.client.pods().inNamespace(ns).withName(name).get();
        object.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").withPodIP(pod.address)
                .addNewPodIP(pod.address).build());
        api.client.pods().inNamespace(ns).resource(object).updateStatus();
        pod.serve();
    }

    record CniRun(int exit, String stdout) {}

    /** Runs the installed plugin as a runtime does, with {@code config} on its stdin. */
    static CniRun cni(Path dir, String pluginConfig, String command, TestPod pod) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(dir.resolve("bin").resolve("weir").toString());
        builder.environment().clear();
        builder.environment().putAll(Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", pod.containerId, "CNI_NETNS", pod.path().toString(),
                "CNI_IFNAME", "eth0", "CNI_PATH", dir.resolve("bin").toString(),
                "CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=" + pod.namespace + ";K8S_POD_NAME=" + pod.name + ";K8S_POD_INFRA_CONTAINER_ID=" + pod.containerId));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(pluginConfig.getBytes(StandardCharsets.UTF_8));
        }
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new CniRun(process.waitFor(), stdout);
    }

    /** What a runtime passes the first plugin of the list: its entry, with the list's name and version. */
    static String pluginConfig(Path conflist) throws IOException {
        JsonNode list = JSON.readTree(conflist.toFile());
        ObjectNode plugin = (ObjectNode) list.path("plugins").get(0).deepCopy();
        plugin.put("cniVersion", list.path("cniVersion").asText()).put("name", list.path("name").asText());
        return plugin.toString();
    }

    // ---- convergence and the matrix

    /** Waits until the node runs a generation newer than {@code previous} with every pod enforced. */
    long converge(long previous) {
        await("the node converged past generation " + previous).atMost(Duration.ofSeconds(120)).until(() -> {
            WeirNode node = api.client.resources(WeirNode.class).withName(NODE).get();
            return node != null && node.getSpec() != null && node.getSpec().generation() > previous && node.getSpec().pods().size() == 9
                    && node.getStatus() != null && node.getStatus().loadedGeneration() == node.getSpec().generation()
                    && node.getStatus().podsAttached() == 9;
        });
        return api.client.resources(WeirNode.class).withName(NODE).get().getSpec().generation();
    }

    void assertMatrix(String step) throws Exception {
        String expected = null, observed = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            expected = expected();
            observed = observed();
            if (expected.equals(observed)) {
                System.out.println("== " + step + ": observed matrix equals weir reachability's ('.' reached, 'X' blocked)\n" + observed);
                return;
            }
            // A later pass of the operator may still be on its way: wait for the node to run the newest.
            long now = api.client.resources(WeirNode.class).withName(NODE).get().getSpec().generation();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                WeirNode node = api.client.resources(WeirNode.class).withName(NODE).get();
                return node.getStatus() != null && node.getStatus().loadedGeneration() >= now;
            });
        }
        assertThat(observed).as(step + ": observed (real packets) vs expected (weir reachability)").isEqualTo(expected);
    }

    static final List<String> PROBES = List.of("TCP/80", "TCP/81", "UDP/80", "UDP/81");

    /**
     * Crafted SCTP INITs from every pod to every pod on {@code port}: those delivered must be exactly those
     * whose request the simulator lets through (source egress and destination ingress), and stay so.
     */
    void assertSctp(String step, int port) {
        ClusterState cluster = ClusterView.read(api.client).cluster();
        CompiledCluster compiled = Compiler.compile(cluster);
        var expected = new StringBuilder();
        var sent = new LinkedHashMap<String, String>(); // receiver key -> row/column label
        int sourcePort = 41000 + ThreadLocalRandom.current().nextInt(1000) * 20;
        try (Simulator simulator = new Simulator(compiled, Datapath.interpreter(compiled))) {
            for (TestPod from : pods.values()) {
                for (TestPod to : pods.values()) {
                    var connection = simulator.connect(Target.pod(new PodRef(from.namespace, from.name)), Target.pod(new PodRef(to.namespace, to.name)),
                            port, Protocol.SCTP);
                    if (connection.request().stream().allMatch(dev.weir.compiler.simulate.Hop::allowed)) {
                        expected.append(from.ref()).append("->").append(to.ref()).append('\n');
                    }
                    from.sendSctpInit(to, sourcePort, port);
                    sent.put(from.address + ":" + sourcePort + "->" + port + "@" + to.ref(), from.ref() + "->" + to.ref());
                    sourcePort++;
                }
            }
        }
        java.util.function.Supplier<String> observed = () -> {
            var out = new StringBuilder();
            sent.forEach((key, label) -> {
                String[] parts = key.split("@");
                if (pods.get(parts[1]).sctpReceived.contains(parts[0])) out.append(label).append('\n');
            });
            return out.toString();
        };
        try {
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(10)).until(() -> observed.get().contentEquals(expected));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            assertThat(observed.get()).as(step + ": SCTP INITs delivered vs expected").isEqualTo(expected.toString());
        }
        System.out.println("== " + step + ": SCTP/" + port + " delivered exactly as expected:\n" + expected);
    }

    /** The simulator's matrix for what the API holds now: what `weir reachability` prints. */
    String expected() {
        ClusterState cluster = ClusterView.read(api.client).cluster();
        CompiledCluster compiled = Compiler.compile(cluster);
        var out = new StringBuilder();
        try (Simulator simulator = new Simulator(compiled, Datapath.interpreter(compiled))) {
            for (String probe : PROBES) {
                Protocol protocol = Protocol.valueOf(probe.split("/")[0]);
                int port = Integer.parseInt(probe.split("/")[1]);
                out.append(probe).append('\n');
                for (TestPod from : pods.values()) {
                    out.append(from.ref()).append('\t');
                    for (TestPod to : pods.values()) {
                        boolean allowed = simulator.connect(Target.pod(new PodRef(from.namespace, from.name)), Target.pod(new PodRef(to.namespace, to.name)),
                                port, protocol).allowed();
                        out.append(allowed ? '.' : 'X');
                    }
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    /** Real connections for every pair, probe and port, many at once. */
    String observed() throws Exception {
        ExecutorService probes = Executors.newFixedThreadPool(64);
        try {
            var out = new StringBuilder();
            for (String probe : PROBES) {
                String protocol = probe.split("/")[0];
                int port = Integer.parseInt(probe.split("/")[1]);
                var rows = new ArrayList<List<Future<Boolean>>>();
                for (TestPod from : pods.values()) {
                    var row = new ArrayList<Future<Boolean>>();
                    for (TestPod to : pods.values()) row.add(probes.submit(() -> from.reaches(to, port, protocol)));
                    rows.add(row);
                }
                out.append(probe).append('\n');
                int i = 0;
                for (TestPod from : pods.values()) {
                    out.append(from.ref()).append('\t');
                    for (Future<Boolean> result : rows.get(i++)) out.append(result.get() ? '.' : 'X');
                    out.append('\n');
                }
            }
            return out.toString();
        } finally {
            probes.shutdownNow();
        }
    }

    // ---- policies

    void apply(NetworkPolicy policy) {
        api.client.network().v1().networkPolicies().inNamespace(policy.getMetadata().getNamespace()).resource(policy)
                .createOr(existing -> existing.update());
    }

    static NetworkPolicy denyIngress(String ns) {
        return new NetworkPolicyBuilder().withNewMetadata().withNamespace(ns).withName("deny-ingress").endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build();
    }

    /** Ingress to {@code pods} of {@code ns} from {@code fromPods} (null: all) in namespaces {@code fromNamespaces}, on one port. */
    static NetworkPolicy allow(String ns, String name, Map<String, String> pods, Map<String, String> fromNamespaces, Map<String, String> fromPods,
                               int port, String protocol) {
        var peer = new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder().withNewNamespaceSelector().withMatchLabels(fromNamespaces).endNamespaceSelector();
        if (fromPods != null) peer.withNewPodSelector().withMatchLabels(fromPods).endPodSelector();
        return new NetworkPolicyBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withNewPodSelector().withMatchLabels(pods).endPodSelector()
                .addNewIngress().withFrom(peer.build()).addNewPort().withProtocol(protocol).withNewPort(port).endPort().endIngress().endSpec().build();
    }

    /** Egress from {@code pods} of {@code ns} only to {@code toPods} in {@code toNamespaces}, TCP and UDP on one port. */
    static NetworkPolicy egressOnly(String ns, String name, Map<String, String> pods, Map<String, String> toNamespaces, Map<String, String> toPods, int port) {
        return new NetworkPolicyBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withNewPodSelector().withMatchLabels(pods).endPodSelector().withPolicyTypes("Egress")
                .addNewEgress().addNewTo().withNewNamespaceSelector().withMatchLabels(toNamespaces).endNamespaceSelector()
                .withNewPodSelector().withMatchLabels(toPods).endPodSelector().endTo()
                .addNewPort().withProtocol("TCP").withNewPort(port).endPort().addNewPort().withProtocol("UDP").withNewPort(port).endPort()
                .endEgress().endSpec().build();
    }

    /** Sends {@code text} on a held connection and reads its echo (5 s at most). */
    static void echo(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        byte[] read = socket.getInputStream().readNBytes(text.length());
        assertThat(new String(read, StandardCharsets.UTF_8)).as("echo at: " + text).isEqualTo(text);
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) return;
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
