package dev.weir.agent.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.agent.Netns;
import dev.weir.agent.cni.Endpoints;
import dev.weir.agent.network.Ipam;
import dev.weir.agent.network.PodNetwork;
import dev.weir.compiler.cluster.ClusterNamespace;
import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Ipv4;
import dev.weir.crds.HostInterfaces;
import dev.weir.crds.signing.ArtifactSigner;
import dev.weir.crds.signing.Ed25519Keys;
import dev.weir.datapath.kernel.KernelTest;
import dev.weir.datapath.kernel.NetNs;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's datapath on a real kernel: pods in network namespaces wired into a node namespace, the
 * operator's signed artifacts checked and loaded, tcx links on the pods' interfaces, and real TCP
 * connections that the policy lets through or not; a policy change swaps programs; an agent stopped and
 * a new one adopting the pins keep an established connection.
 */
@KernelTest
class EnforcementTest {
    static final ArtifactSigner OPERATOR = new ArtifactSigner(Ed25519Keys.generate());

    @TempDir
    Path dir;

    Netns node;
    final Map<String, Netns> pods = new LinkedHashMap<>();
    final Map<String, Integer> addresses = new LinkedHashMap<>();
    final List<AutoCloseable> open = new ArrayList<>();
    Path pins;
    PodNetwork network;
    NodeDatapath datapath;

    @BeforeEach
    void node() {
        node = Netns.create("weir-node-");
        pins = Path.of("/sys/fs/bpf", "weir-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        network = new PodNetwork(node.path());
        datapath = new NodeDatapath(pins, network);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable closeable : open) closeable.close();
        if (datapath != null) datapath.uninstall();
        NodeDatapath.deleteQuietly(pins);
        pods.values().forEach(Netns::close);
        node.close();
        assertThat(Files.exists(pins)).isFalse();
    }

    /** Wires a pod as the CNI service does, and starts a TCP listener on port 80 in it. */
    void pod(Ipam ipam, String namespace, String name) throws Exception {
        Netns netns = Netns.create("weir-pod-");
        pods.put(namespace + "/" + name, netns);
        String host = HostInterfaces.name(namespace, name);
        int address = ipam.allocate("ctr-" + name, "eth0", host);
        addresses.put(namespace + "/" + name, address);
        var wiring = network.wire(host, netns.path(), "eth0", address);
        datapath.added(new Endpoints.LocalPod("ctr-" + name, namespace, name, wiring));
        ServerSocketChannel server = NetNs.run(netns.path(), () -> ServerSocketChannel.open().bind(new InetSocketAddress(Ipv4.text(address), 80)));
        open.add(server);
    }

    boolean connects(String from, String to) throws Exception {
        return connects(pods.get(from).path(), to);
    }

    /** Whether a TCP connection from namespace {@code from} to pod {@code to}'s port 80 opens. */
    boolean connects(Path from, String to) throws Exception {
        String target = Ipv4.text(addresses.get(to));
        return NetNs.run(from, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(target, 80), 400);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    ClusterState cluster(NetworkPolicy policy) {
        var builder = ClusterState.builder()
                .namespace(new ClusterNamespace("x", Map.of("ns", "x")))
                .namespace(new ClusterNamespace("y", Map.of("ns", "y")));
        addresses.forEach((pod, address) -> {
            String[] parts = pod.split("/");
            builder.pod(new ClusterPod(parts[0], parts[1], Map.of("app", parts[1]), Ipv4.text(address), List.of()));
        });
        return builder.policy(policy).build();
    }

    static NetworkPolicy aFrom(String... apps) {
        var from = new ArrayList<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer>();
        for (String app : apps) {
            from.add(new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder().withNewPodSelector().addToMatchLabels("app", app)
                    .endPodSelector().withNewNamespaceSelector().endNamespaceSelector().build());
        }
        return new NetworkPolicyBuilder().withNewMetadata().withNamespace("x").withName("a-ingress").endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("app", "a").endPodSelector()
                .addNewIngress().withFrom(from).addNewPort().withProtocol("TCP").withNewPort(80).endPort().endIngress().endSpec().build();
    }

    @Test
    void policyIsEnforcedOnRealConnectionsAndSurvivesARestartOfTheAgent() throws Exception {
        var ipam = new Ipam(dir.resolve("ipam.json"), "10.244.9.0/24");
        pod(ipam, "x", "a");
        pod(ipam, "x", "b");
        pod(ipam, "y", "c");
        // Two interfaces whose indexes collide modulo 65,536 cannot share the endpoint table: refused.
        int aIndex = network.hostIfindex(HostInterfaces.name("x", "a")).getAsInt();
        assertThatThrownBy(() -> datapath.added(new Endpoints.LocalPod("ctr-z", "x", "z",
                PodNetwork.existing("weirzzzzzzzzzzz", aIndex + 65_536, "eth0", 0x0af409fe))))
                .hasMessageContaining("shares its endpoint slot with " + HostInterfaces.name("x", "a"));
        // Added but not yet published: fail closed.
        assertThat(connects("x/b", "x/a")).isFalse();
        assertThat(datapath.hooks().values()).containsOnly("pending / pending");

        var published = new Published().publish(cluster(aFrom("b")), "node-1", OPERATOR, 1);
        var check = new ArtifactCheck(OPERATOR.verifier());
        NodeDatapath.Applied applied = datapath.apply(check.check("node-1", published, datapath.generation()));
        assertThat(applied.endpointsEnforced()).isEqualTo(3);
        assertThat(connects("x/b", "x/a")).isTrue();
        assertThat(connects("y/c", "x/a")).isFalse();
        assertThat(connects("x/a", "y/c")).isTrue(); // c is not isolated; a's egress is not either
        assertThat(connects("y/c", "x/b")).isTrue();
        // The programs count per endpoint: a's hooks passed b's connection and dropped c's attempts.
        NodeDatapath.Verdicts aCounters = datapath.verdicts().stream().filter(v -> v.pod().equals("x/a")).findFirst().orElseThrow();
        assertThat(aCounters.passed()).isPositive();
        assertThat(aCounters.dropped()).isPositive();

        // A connection b -> a, established now, must survive what follows.
        InetSocketAddress aAddress = new InetSocketAddress(Ipv4.text(addresses.get("x/a")), 81);
        try (ServerSocketChannel listening81 = NetNs.run(pods.get("x/a").path(), () -> ServerSocketChannel.open().bind(aAddress))) {
            // Port 81 is not allowed: the policy change below opens it, then the established flow is tested across a restart.
            assertThatThrownBy(() -> NetNs.run(pods.get("x/b").path(), () -> {
                try (Socket socket = new Socket()) {
                    socket.connect(aAddress, 400);
                }
                return null;
            })).isInstanceOf(IOException.class);

            NetworkPolicy wider = new NetworkPolicyBuilder(aFrom("b", "c")).editSpec().editFirstIngress().addNewPort().withProtocol("TCP")
                    .withNewPort(81).endPort().endIngress().endSpec().build();
            published.publish(cluster(wider), "node-1", OPERATOR, 2);
            datapath.apply(check.check("node-1", published, datapath.generation()));
            assertThat(connects("y/c", "x/a")).isTrue();

            try (SocketChannel client = NetNs.run(pods.get("x/b").path(), () -> SocketChannel.open(aAddress));
                 SocketChannel accepted = listening81.accept()) {
                exchange(client, accepted, "before");
                // The agent stops: descriptors closed, pins left. Enforcement and the connection stay.
                datapath.close();
                exchange(client, accepted, "meanwhile");
                assertThat(connects("y/c", "x/b")).isTrue();
                // A new agent adopts the pins and applies the same state: nothing is cut.
                datapath = new NodeDatapath(pins, network);
                assertThat(datapath.hooks()).hasSize(3);
                datapath.apply(check.check("node-1", published, 0));
                exchange(client, accepted, "after");
                // An older generation is a replay and is refused.
                var replay = new Published().publish(cluster(aFrom("b")), "node-1", OPERATOR, 1);
                assertThatThrownBy(() -> check.check("node-1", replay, datapath.generation()))
                        .hasMessageContaining("generation 1 is older than the running 2");
            }
        }
        // A pod removed: its hooks and pins go.
        datapath.removed(HostInterfaces.name("y", "c"));
        network.unwire(HostInterfaces.name("y", "c"));
        assertThat(Files.exists(pins.resolve("links").resolve(HostInterfaces.name("y", "c")))).isFalse();
        assertThat(Files.exists(pins.resolve("links").resolve(HostInterfaces.name("x", "a")))).isTrue();
    }

    @Test
    void aProgramInPartsIsEnforcedAndKeepsWorkingWhileNoAgentRuns() throws Exception {
        var ipam = new Ipam(dir.resolve("ipam.json"), "10.244.9.0/24");
        pod(ipam, "x", "a");
        pod(ipam, "x", "b");
        pod(ipam, "y", "c");
        // 3,000 policies select x/a, each opening another port; the one that lets b in on 80 comes last.
        var builder = ClusterState.builder()
                .namespace(new ClusterNamespace("x", Map.of("ns", "x")))
                .namespace(new ClusterNamespace("y", Map.of("ns", "y")));
        addresses.forEach((pod, address) -> {
            String[] parts = pod.split("/");
            builder.pod(new ClusterPod(parts[0], parts[1], Map.of("app", parts[1]), Ipv4.text(address), List.of()));
        });
        for (int i = 0; i < 3_000; i++) {
            builder.policy(new NetworkPolicyBuilder().withNewMetadata().withNamespace("x").withName("p" + i).endMetadata()
                    .withNewSpec().withNewPodSelector().addToMatchLabels("app", "a").endPodSelector()
                    .addNewIngress().addNewPort().withProtocol("TCP").withNewPort(1000 + i).endPort().endIngress().endSpec().build());
        }
        NetworkPolicy last = new NetworkPolicyBuilder(aFrom("b")).editMetadata().withName("zz-b-on-80").endMetadata().build();
        var published = new Published().publish(builder.policy(last).build(), "node-1", OPERATOR, 1);
        String program = published.compiled.namespace("x").program(dev.weir.compiler.policy.Direction.INGRESS);
        assertThat(published.compiled.program(program).parts()).hasSizeGreaterThan(2);
        var check = new ArtifactCheck(OPERATOR.verifier());
        assertThat(datapath.apply(check.check("node-1", published, 0)).endpointsEnforced()).isEqualTo(3);
        assertThat(connects("x/b", "x/a")).isTrue();
        assertThat(connects("y/c", "x/a")).isFalse();
        Path jumps = pins.resolve("jumps");
        List<Path> pinned;
        try (var list = Files.list(jumps)) {
            pinned = list.toList();
        }
        assertThat(pinned).hasSize(1).allMatch(pin -> pin.getFileName().toString().startsWith(program + "-"));

        // Without an agent the pinned program array still holds the parts: new connections are judged as before.
        datapath.close();
        assertThat(connects("x/b", "x/a")).isTrue();
        assertThat(connects("y/c", "x/a")).isFalse();
        // A new agent loads the program again, swaps the links, and drops the array it no longer uses.
        datapath = new NodeDatapath(pins, network);
        datapath.apply(check.check("node-1", published, 0));
        assertThat(connects("x/b", "x/a")).isTrue();
        assertThat(connects("y/c", "x/a")).isFalse();
        try (var list = Files.list(jumps)) {
            assertThat(list.toList()).hasSize(1).doesNotContainAnyElementsOf(pinned);
        }
    }

    @Test
    void aProgramTheKernelVerifierRefusesLeavesTheEndpointOnItsPreviousProgram() throws Exception {
        var ipam = new Ipam(dir.resolve("ipam.json"), "10.244.10.0/24");
        pod(ipam, "x", "a");
        pod(ipam, "x", "b");
        pod(ipam, "y", "c");
        var published = new Published().publish(cluster(aFrom("b")), "node-1", OPERATOR, 1);
        var check = new ArtifactCheck(OPERATOR.verifier());
        datapath.apply(check.check("node-1", published, 0));
        String a = HostInterfaces.name("x", "a");
        String before = datapath.hooks().get(a);

        // Generation 2 points a's ingress at a validly signed program that passes the interpreter's loader
        // but reads an uninitialised register, which the kernel verifier refuses.
        var node = published.nodes.get("node-1");
        String good = node.getSpec().pods().stream().filter(p -> p.hostInterface().equals(a)).findFirst().orElseThrow().ingressProgram();
        var spec = published.programs.get(good).getSpec();
        byte[] uninitialised = {(byte) 0xbf, 0x20, 0, 0, 0, 0, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0}; // r0 = r2; exit
        var bad = dev.weir.crds.signing.Artifacts.sign(new dev.weir.crds.WeirProgram.Spec(spec.programName(), spec.direction(), 2,
                java.util.Base64.getEncoder().encodeToString(uninitialised), spec.maps(), spec.parts(), spec.compilerVersion(), null, null), OPERATOR);
        var program = new dev.weir.crds.WeirProgram();
        program.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(dev.weir.crds.signing.Artifacts.programName(bad.sha256())).build());
        program.setSpec(bad);
        published.programs.put(program.getMetadata().getName(), program);
        var pods = node.getSpec().pods().stream().map(p -> p.hostInterface().equals(a)
                ? new dev.weir.crds.WeirNode.Pod(p.namespace(), p.name(), p.hostInterface(), p.address(), p.identity(), program.getMetadata().getName(), p.egressProgram())
                : p).toList();
        var nodeSpec = node.getSpec();
        node.setSpec(dev.weir.crds.signing.Artifacts.sign("node-1", new dev.weir.crds.WeirNode.Spec(2, nodeSpec.podCIDRs(), nodeSpec.addresses(),
                nodeSpec.maps(), pods, null, null), OPERATOR));
        NodeDatapath.Applied applied = datapath.apply(check.check("node-1", published, datapath.generation()));
        assertThat(applied.refused()).containsOnlyKeys(program.getMetadata().getName());
        assertThat(applied.refused().values().iterator().next()).contains("EACCES");
        assertThat(datapath.hooks().get(a)).isEqualTo(before);
        assertThat(connects("x/b", "x/a")).isTrue();
        assertThat(connects("y/c", "x/a")).isFalse();
    }

    @Test
    void aPendingPodIsReachableFromTheNodeOnlyUntilItsPolicyArrives() throws Exception {
        var ipam = new Ipam(dir.resolve("ipam.json"), "10.244.11.0/24");
        // The node has an address (on its loopback here), which its WeirNode lists.
        NetNs.run(node.path(), () -> {
            dev.weir.datapath.kernel.PodLinks.setUp("lo");
            dev.weir.datapath.kernel.PodLinks.addAddress("lo", 0xc0a84d01, 32); // 192.168.77.1
            return null;
        });
        pod(ipam, "x", "b");
        var check = new ArtifactCheck(OPERATOR.verifier());
        var published = new Published().publish(cluster(aFrom("b")), "node-1", List.of("192.168.77.1"), OPERATOR, 1);
        datapath.apply(check.check("node-1", published, 0));
        // a arrives after the node's state: pending, which lets the node (the kubelet's probes) in and nothing else.
        pod(ipam, "x", "a");
        assertThat(datapath.hooks().get(HostInterfaces.name("x", "a"))).isEqualTo("pending / pending");
        assertThat(nodeConnects("x/a")).isTrue();
        assertThat(connects("x/b", "x/a")).isFalse();
        assertThat(connects("x/a", "x/b")).isFalse();
        // Its policy published: b may reach it, as may the node (host traffic is allowed by compiled programs).
        published.publish(cluster(aFrom("b")), "node-1", List.of("192.168.77.1"), OPERATOR, 2);
        datapath.apply(check.check("node-1", published, datapath.generation()));
        assertThat(connects("x/b", "x/a")).isTrue();
        assertThat(nodeConnects("x/a")).isTrue();
    }

    boolean nodeConnects(String to) throws Exception {
        return connects(node.path(), to);
    }

    static void exchange(SocketChannel client, SocketChannel server, String text) throws IOException {
        client.write(ByteBuffer.wrap(text.getBytes()));
        ByteBuffer read = ByteBuffer.allocate(text.length());
        while (read.hasRemaining()) {
            if (server.read(read) < 0) throw new IOException("closed");
        }
        assertThat(new String(read.array())).isEqualTo(text);
    }
}
