package dev.weir.e2e;

import dev.weir.datapath.kernel.IpRoute2;
import dev.weir.datapath.kernel.NetNs;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod's sandbox as a container runtime makes it: a named network namespace (iproute2, test-only), wired
 * by the CNI plugin, serving TCP (accepting) and UDP (echoing) on ports 80 and 81 from inside it.
 */
final class TestPod implements AutoCloseable {
    static final List<Integer> PORTS = List.of(80, 81);

    final String namespace;
    final String name;
    final String netns;
    final String containerId;
    String address;
    private final List<AutoCloseable> sockets = new ArrayList<>();
    /** SCTP packets that reached this pod: "source address:source port->destination port". */
    final java.util.Set<String> sctpReceived = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private dev.weir.datapath.kernel.RawIpSocket sctp;

    TestPod(String namespace, String name, String run) {
        this.namespace = namespace;
        this.name = name;
        this.netns = "weir-e2e-" + run + "-" + namespace + name;
        this.containerId = "ctr-" + run + "-" + namespace + "-" + name;
        IpRoute2.ip("netns", "add", netns);
    }

    Path path() {
        return NetNs.named(netns);
    }

    String ref() {
        return namespace + "/" + name;
    }

    /** Starts the servers on the pod's address (after ADD gave it one). */
    void serve() throws Exception {
        // No SCTP sockets in this kernel: a raw socket sends crafted INITs and sees what is delivered.
        sctp = NetNs.run(path(), () -> dev.weir.datapath.kernel.RawIpSocket.open(dev.weir.datapath.packet.Frames.SCTP, 200));
        sockets.add(sctp);
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    sctp.receive().ifPresent(packet -> {
                        int header = (packet[0] & 0x0f) * 4;
                        String source = (packet[12] & 0xff) + "." + (packet[13] & 0xff) + "." + (packet[14] & 0xff) + "." + (packet[15] & 0xff);
                        int sourcePort = ((packet[header] & 0xff) << 8) | (packet[header + 1] & 0xff);
                        int destinationPort = ((packet[header + 2] & 0xff) << 8) | (packet[header + 3] & 0xff);
                        sctpReceived.add(source + ":" + sourcePort + "->" + destinationPort);
                    });
                } catch (RuntimeException e) {
                    return; // closed
                }
            }
        });
        for (int port : PORTS) {
            var at = new InetSocketAddress(address, port);
            ServerSocketChannel tcp = NetNs.run(path(), () -> ServerSocketChannel.open().bind(at, 256));
            DatagramChannel udp = NetNs.run(path(), () -> DatagramChannel.open().bind(at));
            sockets.add(tcp);
            sockets.add(udp);
            Thread.ofVirtual().start(() -> {
                while (tcp.isOpen()) {
                    try {
                        SocketChannel accepted = tcp.accept();
                        Thread.ofVirtual().start(() -> echo(accepted));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            Thread.ofVirtual().start(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(1500);
                while (udp.isOpen()) {
                    try {
                        buffer.clear();
                        var from = udp.receive(buffer);
                        buffer.flip();
                        udp.send(buffer, from);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }
    }

    /** Echoes until the client closes (probes close at once; held connections talk). */
    private static void echo(SocketChannel accepted) {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        try (accepted) {
            while (accepted.read(buffer.clear()) > 0) {
                accepted.write(buffer.flip());
            }
        } catch (IOException e) {
            // the client went
        }
    }

    /** Whether a new connection from this pod to {@code to:port} over {@code protocol} gets through both ways. */
    boolean reaches(TestPod to, int port, String protocol) throws Exception {
        var target = new InetSocketAddress(to.address, port);
        return NetNs.run(path(), () -> switch (protocol) {
            case "TCP" -> {
                try (Socket socket = new Socket()) {
                    socket.connect(target, 1000);
                    yield true;
                } catch (IOException e) {
                    yield false;
                }
            }
            case "UDP" -> {
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.setSoTimeout(1000);
                    byte[] ping = "ping".getBytes();
                    socket.send(new java.net.DatagramPacket(ping, ping.length, target));
                    var reply = new java.net.DatagramPacket(new byte[16], 16);
                    socket.receive(reply);
                    yield true;
                } catch (SocketTimeoutException e) {
                    yield false;
                } catch (IOException e) {
                    yield false;
                }
            }
            default -> throw new IllegalArgumentException(protocol);
        });
    }

    /** Sends a crafted SCTP INIT from {@code sourcePort} to {@code to:port}. */
    void sendSctpInit(TestPod to, int sourcePort, int port) {
        sctp.send(dev.weir.datapath.packet.Frames.ip(to.address), dev.weir.datapath.packet.Frames.sctpInit(sourcePort, port, sourcePort));
    }

    /** A connection kept open: the server echoes what it gets. */
    Socket hold(TestPod to, int port) throws Exception {
        Socket socket = NetNs.run(path(), () -> {
            Socket opened = new Socket();
            opened.connect(new InetSocketAddress(to.address, port), 2000);
            return opened;
        });
        socket.setSoTimeout(5000);
        return socket;
    }

    @Override
    public void close() {
        for (AutoCloseable socket : sockets) {
            try {
                socket.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        IpRoute2.tryIp("netns", "del", netns);
    }
}
