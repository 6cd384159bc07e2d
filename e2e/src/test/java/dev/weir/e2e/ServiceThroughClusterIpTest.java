package dev.weir.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.crds.WeirNode;
import dev.weir.datapath.kernel.IpRoute2;
import dev.weir.datapath.kernel.KernelTest;
import dev.weir.datapath.kernel.NetNs;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod reaches another through a ClusterIP on this machine's kernel, with the node in miniature's harness
 * (API stand-in, `weir operator` and `weir agent` processes, pods added by the CNI plugin): the client's
 * egress program translates 10.96.0.10:80 to the server's address and port 81, the node routes the packet
 * there, and the reply is translated back. Egress policy judges the backend, not the ClusterIP.
 */
@KernelTest
class ServiceThroughClusterIpTest {
    static final String NODE = "node-1", CLUSTER_IP = "10.96.0.10", EMPTY_IP = "10.96.0.11";

    @TempDir
    Path dir;

    final Map<String, TestPod> pods = new LinkedHashMap<>();
    ApiStandIn api;
    String pluginConfig;

    @Test
    void aClientReachesTheServerThroughTheClusterIpAsItsEgressPolicyAllows() throws Exception {
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
            api.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("x").addToLabels("ns", "x").endMetadata().build()).create();
            operator = WeirProcess.operator(dir, api.kubeconfig);
            agent = WeirProcess.start(dir, api.kubeconfig, NODE, NetNs.named(nodeNetns), pins);
            WeirProcess started = agent;
            await("the agent ready").atMost(Duration.ofSeconds(120)).until(() -> started.readiness().startsWith("200"));
            pluginConfig = NodeInMiniatureTest.pluginConfig(dir.resolve("net.d").resolve("05-weir.conflist"));
            TestPod client = addPod("client", run);
            TestPod server = addPod("server", run);
            converge(0, false);
            // Nothing answers at the ClusterIP until the Service is published: an answer later is the translation's.
            assertThat(talksThroughClusterIp(client, "no Service yet")).as("no Service yet").isFalse();

            // Port 80 of the Service is port 81 of the server: the translation changes the port too.
            api.client.services().inNamespace("x").resource(new ServiceBuilder().withNewMetadata().withName("web").withNamespace("x").endMetadata()
                    .withNewSpec().withClusterIP(CLUSTER_IP).withClusterIPs(CLUSTER_IP).addToSelector("pod", "server")
                    .addNewPort().withPort(80).withTargetPort(new IntOrString(81)).withProtocol("TCP").endPort().endSpec().build()).create();
            api.client.discovery().v1().endpointSlices().inNamespace("x").resource(new EndpointSliceBuilder()
                    .withNewMetadata().withName("web-1").withNamespace("x").addToLabels("kubernetes.io/service-name", "web").endMetadata()
                    .withAddressType("IPv4").addNewPort().withPort(81).withProtocol("TCP").endPort()
                    .addNewEndpoint().withAddresses(server.address).withNewConditions().withReady(true).endConditions()
                    .withNewTargetRef().withKind("Pod").withNamespace("x").withName("server").endTargetRef().endEndpoint().build()).create();
            long generation = converge(0, true);
            assertThat(talksThroughClusterIp(client, "no policy")).as("no policy: through the ClusterIP").isTrue();

            // A Service without endpoints refuses at once (the client's egress answers the SYN with a reset).
            api.client.services().inNamespace("x").resource(new ServiceBuilder().withNewMetadata().withName("empty").withNamespace("x").endMetadata()
                    .withNewSpec().withClusterIP(EMPTY_IP).withClusterIPs(EMPTY_IP).addToSelector("pod", "nobody")
                    .addNewPort().withPort(80).withProtocol("TCP").endPort().endSpec().build()).create();
            generation = converge(generation, true);
            assertThat(refusedAtOnce(client, EMPTY_IP)).as("a Service without endpoints: connection refused, not a timeout").isTrue();
            assertThat(talksThroughClusterIp(client, "beside an empty Service")).isTrue();

            apply(egress("only-to-server", Map.of("pod", "server")));
            generation = converge(generation, true);
            assertThat(talksThroughClusterIp(client, "egress to the server")).as("egress allowed to the backend pod: through the ClusterIP").isTrue();

            // Allowing the ClusterIP itself allows nothing: policy sees the backend.
            apply(new NetworkPolicyBuilder(egress("only-to-server", null)).editSpec().addNewEgress().addNewTo().withNewIpBlock()
                    .withCidr(CLUSTER_IP + "/32").endIpBlock().endTo().endEgress().endSpec().build());
            generation = converge(generation, true);
            assertThat(talksThroughClusterIp(client, "egress to the ClusterIP only")).as("egress allowed to the ClusterIP, not the backend").isFalse();

            apply(egress("only-to-server", null));
            converge(generation, true);
            assertThat(talksThroughClusterIp(client, "egress to nothing")).as("egress allowed nowhere").isFalse();
        } finally {
            pods.values().forEach(TestPod::close);
            if (agent != null) {
                agent.close();
                if (Files.exists(agent.log)) System.out.println("agent log tail:\n" + NodeInMiniatureTest.tail(agent.log));
            }
            if (operator != null) {
                operator.close();
                if (Files.exists(operator.log)) System.out.println("operator log tail:\n" + NodeInMiniatureTest.tail(operator.log));
            }
            IpRoute2.tryIp("netns", "del", nodeNetns);
            NodeInMiniatureTest.deleteTree(pins);
            if (api != null) api.close();
        }
        assertThat(Files.exists(pins)).isFalse();
    }

    /** Connects to the ClusterIP from the client's namespace and has the server echo a line; false if the connection fails. */
    boolean talksThroughClusterIp(TestPod client, String step) throws Exception {
        return NetNs.run(client.path(), () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(CLUSTER_IP, 80), 2000);
                socket.setSoTimeout(5000);
                byte[] text = step.getBytes(StandardCharsets.UTF_8);
                socket.getOutputStream().write(text);
                byte[] read = socket.getInputStream().readNBytes(text.length);
                assertThat(new String(read, StandardCharsets.UTF_8)).as("the server's echo through " + CLUSTER_IP + " at: " + step).isEqualTo(step);
                return true;
            } catch (IOException e) {
                System.out.println("== " + step + ": connecting to " + CLUSTER_IP + ":80 failed: " + e);
                return false;
            }
        });
    }

    /** True when connecting to {@code address}:80 fails with "connection refused" (a reset), false on a timeout or success. */
    boolean refusedAtOnce(TestPod client, String address) throws Exception {
        return NetNs.run(client.path(), () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, 80), 3000);
                return false;
            } catch (java.net.ConnectException refused) {
                return true;
            } catch (IOException e) {
                System.out.println("== connecting to " + address + ":80: " + e);
                return false;
            }
        });
    }

    TestPod addPod(String name, String run) throws Exception {
        api.client.pods().inNamespace("x").resource(new PodBuilder().withNewMetadata().withName(name).withNamespace("x").addToLabels("pod", name).endMetadata()
                .withNewSpec().withNodeName(NODE).addNewContainer().withName("app").withImage("weir/e2e").endContainer().endSpec().build()).create();
        TestPod pod = new TestPod("x", name, run);
        pods.put(pod.ref(), pod);
        NodeInMiniatureTest.CniRun added = NodeInMiniatureTest.cni(dir, pluginConfig, "ADD", pod);
        assertThat(added.exit()).as(added.stdout()).isZero();
        JsonNode result = NodeInMiniatureTest.JSON.readTree(added.stdout());
        pod.address = result.path("ips").path(0).path("address").asText().replace("/32", "");
        Pod object = api.client.pods().inNamespace("x").withName(name).get();
        object.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").withPodIP(pod.address)
                .addNewPodIP(pod.address).build());
        api.client.pods().inNamespace("x").resource(object).updateStatus();
        pod.serve();
        return pod;
    }

    static boolean published(WeirNode node, String map) {
        return node.getSpec().maps().stream().anyMatch(m -> m.map().equals(map) && !m.chunks().isEmpty());
    }

    /**
     * Waits until the node runs a generation newer than {@code previous} with both pods enforced (and the Service
     * published with its backend: a generation from between the Service and its slice has a frontend that drops).
     */
    long converge(long previous, boolean service) {
        await("the node converged past generation " + previous).atMost(Duration.ofSeconds(120)).until(() -> {
            WeirNode node = api.client.resources(WeirNode.class).withName(NODE).get();
            return node != null && node.getSpec() != null && node.getSpec().generation() > previous && node.getSpec().pods().size() == 2
                    && published(node, "weir_lb_svc") == service && published(node, "weir_lb_be") == service
                    && node.getStatus() != null && node.getStatus().loadedGeneration() == node.getSpec().generation()
                    && node.getStatus().podsAttached() == 2;
        });
        return api.client.resources(WeirNode.class).withName(NODE).get().getSpec().generation();
    }

    void apply(NetworkPolicy policy) {
        api.client.network().v1().networkPolicies().inNamespace("x").resource(policy).createOr(existing -> existing.update());
    }

    /** Egress of the client only to pods matching {@code to} (any port), or to nothing when null. */
    static NetworkPolicy egress(String name, Map<String, String> to) {
        var spec = new NetworkPolicyBuilder().withNewMetadata().withNamespace("x").withName(name).endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("pod", "client").endPodSelector().withPolicyTypes("Egress");
        if (to != null) spec.addNewEgress().addNewTo().withNewPodSelector().withMatchLabels(to).endPodSelector().endTo().endEgress();
        return spec.endSpec().build();
    }
}
