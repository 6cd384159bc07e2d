package dev.weir.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.agent.CniPlugin;
import dev.weir.agent.Netns;
import dev.weir.agent.network.Ipam;
import dev.weir.agent.network.PodNetwork;
import dev.weir.crds.HostInterfaces;
import dev.weir.datapath.kernel.Interfaces;
import dev.weir.datapath.kernel.KernelTest;
import dev.weir.datapath.kernel.NetNs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real plugin process, invoked as a container runtime invokes it, against the agent's socket: pods are
 * wired into a node network namespace and reach each other. The policy side is a recording stand-in here
 * (the datapath has its own tests); everything else is real.
 */
@KernelTest
class CniPluginTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Records what the CNI service asked of the datapath. */
    static final class RecordingEndpoints implements Endpoints {
        final List<String> calls = new ArrayList<>();
        final AtomicReference<String> notReady = new AtomicReference<>();

        @Override
        public void added(LocalPod pod) {
            calls.add("added " + pod.namespace() + "/" + pod.name() + " " + pod.wiring().hostInterface());
        }

        @Override
        public void removed(String hostInterface) {
            calls.add("removed " + hostInterface);
        }

        @Override
        public String notReadyBecause() {
            return notReady.get();
        }
    }

    String config(Path socket) {
        return "{\"cniVersion\":\"1.1.0\",\"name\":\"weir\",\"type\":\"weir\",\"weirSocket\":\"" + socket + "\"}";
    }

    @Test
    void addCheckDelStatusGcThroughThePluginProcess() throws Exception {
        var endpoints = new RecordingEndpoints();
        try (var node = Netns.create("weir-node-"); var podA = Netns.create("weir-pod-"); var podB = Netns.create("weir-pod-")) {
            var network = new PodNetwork(node.path());
            var ipam = new Ipam(dir.resolve("ipam.json"), "10.244.7.0/24");
            Path socket = dir.resolve("cni.sock");
            var plugin = CniPlugin.install(dir.resolve("bin"), socket);
            try (var server = new CniSocketServer(socket, new CniService(() -> ipam, network, endpoints))) {
                var added = plugin.run(CniPlugin.env("ADD", "ctr-a", podA.path(), "x", "a"), config(socket));
                assertThat(added.exit()).as(added.stdout()).isZero();
                JsonNode result = JSON.readTree(added.stdout());
                assertThat(result.path("cniVersion").asText()).isEqualTo("1.1.0");
                assertThat(result.path("ips").path(0).path("address").asText()).isEqualTo("10.244.7.1/32");
                assertThat(result.path("ips").path(0).path("gateway").asText()).isEqualTo("169.254.1.1");
                assertThat(result.path("interfaces").path(0).path("name").asText()).isEqualTo(HostInterfaces.name("x", "a"));
                assertThat(result.path("interfaces").path(1).path("sandbox").asText()).isEqualTo(podA.path().toString());
                assertThat(endpoints.calls).containsExactly("added x/a " + HostInterfaces.name("x", "a"));

                var second = plugin.run(CniPlugin.env("ADD", "ctr-b", podB.path(), "x", "b"), config(socket));
                assertThat(second.exit()).as(second.stdout()).isZero();
                // The two pods talk through the node.
                InetAddress b = InetAddress.getByName("10.244.7.2");
                try (ServerSocketChannel listening = NetNs.run(podB.path(), () -> ServerSocketChannel.open().bind(new InetSocketAddress(b, 80)));
                     SocketChannel client = NetNs.run(podA.path(), () -> SocketChannel.open(new InetSocketAddress(b, 80)));
                     SocketChannel accepted = listening.accept()) {
                    assertThat(((InetSocketAddress) accepted.getRemoteAddress()).getAddress().getHostAddress()).isEqualTo("10.244.7.1");
                }

                // A retried ADD gives the same answer; CHECK with it as prevResult passes.
                var again = plugin.run(CniPlugin.env("ADD", "ctr-a", podA.path(), "x", "a"), config(socket));
                assertThat(JSON.readTree(again.stdout()).path("ips")).isEqualTo(result.path("ips"));
                String withPrevious = "{\"cniVersion\":\"1.1.0\",\"name\":\"weir\",\"type\":\"weir\",\"weirSocket\":\"" + socket + "\",\"prevResult\":" + added.stdout() + "}";
                assertThat(plugin.run(CniPlugin.env("CHECK", "ctr-a", podA.path(), "x", "a"), withPrevious).exit()).isZero();
                assertThat(plugin.run(CniPlugin.env("STATUS", "", podA.path(), "", ""), config(socket)).exit()).isZero();
                endpoints.notReady.set("no signed state from the operator yet");
                var notReady = plugin.run(CniPlugin.env("STATUS", "", podA.path(), "", ""), config(socket));
                assertThat(notReady.exit()).isEqualTo(1);
                assertThat(JSON.readTree(notReady.stdout()).path("code").asInt()).isEqualTo(50);

                // DEL, twice: the second finds nothing and still succeeds; CHECK then reports the container unknown.
                var deleted = plugin.run(CniPlugin.env("DEL", "ctr-a", podA.path(), "x", "a"), config(socket));
                assertThat(deleted.exit()).as(deleted.stdout()).isZero();
                assertThat(deleted.stdout()).isEmpty();
                assertThat(plugin.run(CniPlugin.env("DEL", "ctr-a", podA.path(), "x", "a"), config(socket)).exit()).isZero();
                assertThat(NetNs.run(podA.path(), () -> Interfaces.find("eth0")).isPresent()).isFalse();
                var unknown = plugin.run(CniPlugin.env("CHECK", "ctr-a", podA.path(), "x", "a"), withPrevious);
                assertThat(JSON.readTree(unknown.stdout()).path("code").asInt()).isEqualTo(3);

                // GC with only ctr-a (gone already) valid: ctr-b is released and unwired.
                String gc = "{\"cniVersion\":\"1.1.0\",\"name\":\"weir\",\"type\":\"weir\",\"weirSocket\":\"" + socket
                        + "\",\"cni.dev/valid-attachments\":[{\"containerID\":\"ctr-a\",\"ifname\":\"eth0\"}]}";
                var gcEnv = new HashMap<String, String>();
                gcEnv.put("CNI_COMMAND", "GC");
                assertThat(plugin.run(gcEnv, gc).exit()).isZero();
                assertThat(ipam.allocations()).isEmpty();
                assertThat(network.hostIfindex(HostInterfaces.name("x", "b"))).isEmpty();

                // A version the plugin does not speak.
                var old = plugin.run(CniPlugin.env("ADD", "ctr-c", podA.path(), "x", "c"), "{\"cniVersion\":\"0.2.0\",\"name\":\"weir\",\"type\":\"weir\",\"weirSocket\":\"" + socket + "\"}");
                assertThat(JSON.readTree(old.stdout()).path("code").asInt()).isEqualTo(1);
            }
        }
    }

    /**
     * Text after the configuration object, a hand-crafted frame with a second "env", an oversize or too deeply
     * nested configuration: each is refused as a decode failure (DEL too), and the pod stays wired.
     */
    @Test
    void nothingOnStandardInputOrInAFrameCanTurnARequestIntoAnother() throws Exception {
        var endpoints = new RecordingEndpoints();
        try (var node = Netns.create("weir-node-"); var pod = Netns.create("weir-pod-")) {
            var network = new PodNetwork(node.path());
            var ipam = new Ipam(dir.resolve("ipam.json"), "10.244.10.0/24");
            Path socket = dir.resolve("cni.sock");
            var plugin = CniPlugin.install(dir.resolve("bin"), socket);
            try (var server = new CniSocketServer(socket, new CniService(() -> ipam, network, endpoints))) {
                var added = plugin.run(CniPlugin.env("ADD", "c1", pod.path(), "x", "victim"), config(socket));
                assertThat(added.exit()).as(added.stdout()).isZero();
                Runnable stillWired = () -> {
                    assertThat(ipam.find("c1", "eth0")).isPresent();
                    assertThat(network.hostIfindex(HostInterfaces.name("x", "victim"))).isPresent();
                    assertThat(network.podHasInterface(pod.path(), "eth0")).isTrue();
                };

                String injected = config(socket) + ", \"env\":{\"CNI_COMMAND\":\"DEL\",\"CNI_CONTAINERID\":\"c1\",\"CNI_IFNAME\":\"eth0\","
                        + "\"CNI_ARGS\":\"K8S_POD_NAMESPACE=x;K8S_POD_NAME=victim\"}";
                var check = plugin.run(CniPlugin.env("CHECK", "c1", pod.path(), "x", "victim"), injected);
                assertThat(check.exit()).isEqualTo(1);
                JsonNode error = JSON.readTree(check.stdout());
                assertThat(error.path("code").asInt()).isEqualTo(6);
                assertThat(error.path("details").asText()).contains("there is text after the configuration object");
                stillWired.run();

                String big = config(socket).replace("}", ",\"pad\":\"" + "x".repeat(5 << 20) + "\"}");
                var oversize = plugin.run(CniPlugin.env("DEL", "c1", pod.path(), "x", "victim"), big);
                assertThat(oversize.exit()).isEqualTo(1);
                assertThat(JSON.readTree(oversize.stdout()).path("msg").asText()).isEqualTo("the network configuration is larger than 1048576 bytes");
                stillWired.run();

                String bomb = config(socket).replace("}", ",\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}");
                var deep = plugin.run(CniPlugin.env("DEL", "c1", pod.path(), "x", "victim"), bomb);
                assertThat(deep.exit()).isEqualTo(1);
                assertThat(JSON.readTree(deep.stdout()).path("code").asInt()).isEqualTo(6);
                assertThat(deep.stdout()).contains("nests deeper than 64 levels").doesNotContain("StackOverflowError");
                stillWired.run();

                // A frame written by hand, in the old single-envelope form with a later duplicate "env".
                String envelope = "{\"env\":{\"CNI_COMMAND\":\"CHECK\"},\"config\":" + config(socket)
                        + ",\"env\":{\"CNI_COMMAND\":\"DEL\",\"CNI_CONTAINERID\":\"c1\",\"CNI_IFNAME\":\"eth0\",\"CNI_ARGS\":\"K8S_POD_NAMESPACE=x;K8S_POD_NAME=victim\"}}";
                String answer = exchange(socket, envelope.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertThat(answer).startsWith("1\n");
                assertThat(JSON.readTree(answer.substring(2)).path("code").asInt()).isEqualTo(6);
                stillWired.run();
                assertThat(endpoints.calls).noneMatch(call -> call.startsWith("removed"));
            }
        }
    }

    /** One request over the agent's socket, framed by its 4-byte length, as a hand-written client would send it. */
    static String exchange(Path socket, byte[] request) throws java.io.IOException {
        try (var channel = SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            channel.write(java.nio.ByteBuffer.allocate(4 + request.length).putInt(request.length).put(request).flip());
            var length = java.nio.ByteBuffer.allocate(4);
            while (length.hasRemaining()) if (channel.read(length) < 0) throw new java.io.EOFException();
            var answer = java.nio.ByteBuffer.allocate(length.flip().getInt());
            while (answer.hasRemaining()) if (channel.read(answer) < 0) throw new java.io.EOFException();
            return new String(answer.array(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * A GC whose cni.dev/valid-attachments is missing or malformed says nothing about which attachments are
     * valid: it is refused (invalid network configuration) and every pod stays wired, with its address.
     */
    @Test
    void aGcWithoutAValidListOfAttachmentsIsRefusedAndChangesNothing() throws Exception {
        var endpoints = new RecordingEndpoints();
        try (var node = Netns.create("weir-node-"); var pod = Netns.create("weir-pod-")) {
            var network = new PodNetwork(node.path());
            var ipam = new Ipam(dir.resolve("ipam.json"), "10.244.9.0/24");
            Path socket = dir.resolve("cni.sock");
            var plugin = CniPlugin.install(dir.resolve("bin"), socket);
            try (var server = new CniSocketServer(socket, new CniService(() -> ipam, network, endpoints))) {
                assertThat(plugin.run(CniPlugin.env("ADD", "ctr-gc", pod.path(), "x", "gc"), config(socket)).exit()).isZero();
                String head = "{\"cniVersion\":\"1.1.0\",\"name\":\"weir\",\"type\":\"weir\",\"weirSocket\":\"" + socket + "\"";
                List<String> malformed = List.of(
                        head + "}",
                        head + ",\"cni.dev/valid-attachments\":\"ctr-gc/eth0\"}",
                        head + ",\"cni.dev/valid-attachments\":null}",
                        head + ",\"cni.dev/valid-attachments\":[\"ctr-gc\"]}",
                        head + ",\"cni.dev/valid-attachments\":[{\"containerID\":\"ctr-gc\"}]}",
                        head + ",\"cni.dev/valid-attachments\":[{\"containerID\":\"ctr-gc\",\"ifname\":7}]}");
                for (String gc : malformed) {
                    var outcome = plugin.run(java.util.Map.of("CNI_COMMAND", "GC"), gc);
                    assertThat(outcome.exit()).as(gc).isEqualTo(1);
                    JsonNode error = JSON.readTree(outcome.stdout());
                    assertThat(error.path("code").asInt()).as(outcome.stdout()).isEqualTo(7);
                    assertThat(error.path("msg").asText()).contains("cni.dev/valid-attachments");
                    assertThat(ipam.find("ctr-gc", "eth0")).as(gc).isPresent();
                    assertThat(network.hostIfindex(HostInterfaces.name("x", "gc"))).as(gc).isPresent();
                    assertThat(network.podHasInterface(pod.path(), "eth0")).as(gc).isTrue();
                }
                assertThat(endpoints.calls).noneMatch(call -> call.startsWith("removed"));
            }
        }
    }

    @Test
    void aLateDelOfAReplacedSandboxTouchesNothingOfTheNewOne() throws Exception {
        var endpoints = new RecordingEndpoints();
        try (var node = Netns.create("weir-node-"); var first = Netns.create("weir-pod-"); var second = Netns.create("weir-pod-")) {
            var network = new PodNetwork(node.path());
            var ipam = new Ipam(dir.resolve("ipam.json"), "10.244.8.0/24");
            Path socket = dir.resolve("cni.sock");
            var plugin = CniPlugin.install(dir.resolve("bin"), socket);
            try (var server = new CniSocketServer(socket, new CniService(() -> ipam, network, endpoints))) {
                assertThat(plugin.run(CniPlugin.env("ADD", "sandbox-1", first.path(), "x", "web-0"), config(socket)).exit()).isZero();
                // The pod is recreated under the same name before its old sandbox was deleted.
                var added = plugin.run(CniPlugin.env("ADD", "sandbox-2", second.path(), "x", "web-0"), config(socket));
                assertThat(added.exit()).as(added.stdout()).isZero();
                var late = plugin.run(CniPlugin.env("DEL", "sandbox-1", first.path(), "x", "web-0"), config(socket));
                assertThat(late.exit()).isZero();
                assertThat(network.hostIfindex(HostInterfaces.name("x", "web-0"))).isPresent();
                assertThat(network.podHasInterface(second.path(), "eth0")).isTrue();
                assertThat(ipam.allocations().values()).extracting(Ipam.Allocation::containerId).containsExactly("sandbox-2");
            }
        }
    }
}
