package dev.weir.datapath.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/**
 * Wiring pods the way the agent does, with rtnetlink only: a node namespace and two pod namespaces,
 * a veth per pod created straight into the pod's namespace, /32 addresses, a link-local gateway known by
 * a permanent neighbour entry, host routes and forwarding on the node. Then a real TCP connection
 * between the pods, through the node.
 */
@KernelTest
class PodLinksTest {

    static final int GATEWAY = 0xa9fe0101; // 169.254.1.1

    static byte[] mac(int last) {
        return new byte[] {0x02, 0x77, 0x65, 0x69, 0x72, (byte) last};
    }

    static void wire(NetFixture.Netns node, NetFixture.Netns pod, String hostName, int address, int id) throws Exception {
        NetNs.run(NetNs.named(node.name()), () -> {
            PodLinks.createVeth(hostName, mac(id), "eth0", mac(id + 100), NetNs.named(pod.name()));
            PodLinks.setUp(hostName);
            PodLinks.addRoute(address, 32, 0, hostName);
            PodLinks.addNeighbour(hostName, address, mac(id + 100));
            return null;
        });
        NetNs.run(NetNs.named(pod.name()), () -> {
            PodLinks.setUp("lo");
            PodLinks.setUp("eth0");
            PodLinks.addAddress("eth0", address, 32);
            PodLinks.addRoute(GATEWAY, 32, 0, "eth0");
            PodLinks.addRoute(0, 0, GATEWAY, "eth0");
            PodLinks.addNeighbour("eth0", GATEWAY, mac(id));
            return null;
        });
    }

    @Test
    void twoPodsTalkThroughTheNode() throws Exception {
        try (var node = NetFixture.Netns.create(); var podA = NetFixture.Netns.create(); var podB = NetFixture.Netns.create()) {
            NetNs.run(NetNs.named(node.name()), () -> {
                PodLinks.sysctl("net/ipv4/ip_forward", "1");
                return null;
            });
            wire(node, podA, "wha", 0x0af40102, 1);
            wire(node, podB, "whb", 0x0af40103, 2);
            InetAddress b = InetAddress.getByName("10.244.1.3");
            try (ServerSocketChannel server = NetNs.run(NetNs.named(podB.name()), () -> ServerSocketChannel.open().bind(new InetSocketAddress(b, 80)));
                 SocketChannel client = NetNs.run(NetNs.named(podA.name()), () -> SocketChannel.open(new InetSocketAddress(b, 80)));
                 SocketChannel accepted = server.accept()) {
                client.write(ByteBuffer.wrap("hello".getBytes()));
                ByteBuffer read = ByteBuffer.allocate(5);
                while (read.hasRemaining()) accepted.read(read);
                assertThat(new String(read.array())).isEqualTo("hello");
                assertThat(((InetSocketAddress) accepted.getRemoteAddress()).getAddress().getHostAddress()).isEqualTo("10.244.1.2");
            }
            // Deleting the host end takes the pod's end with it; a second delete finds nothing.
            assertThat(NetNs.run(NetNs.named(node.name()), () -> PodLinks.delete("wha"))).isTrue();
            assertThat(NetNs.run(NetNs.named(podA.name()), () -> Interfaces.find("eth0").isPresent())).isFalse();
            assertThat(NetNs.run(NetNs.named(node.name()), () -> PodLinks.delete("wha"))).isFalse();
        }
    }

    @Test
    void aRefusalNamesTheRequestAndTheErrno() throws Exception {
        try (var node = NetFixture.Netns.create(); var pod = NetFixture.Netns.create()) {
            wire(node, pod, "whc", 0x0af40104, 3);
            assertThatThrownBy(() -> NetNs.run(NetNs.named(node.name()), () -> {
                PodLinks.createVeth("whc", mac(3), "eth1", mac(103), NetNs.named(pod.name()));
                return null;
            })).isInstanceOf(SyscallException.class).hasMessage("create veth whc (peer eth1 in /var/run/netns/" + pod.name() + ") failed: EEXIST (17)");
        }
    }
}
