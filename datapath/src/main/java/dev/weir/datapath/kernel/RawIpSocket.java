package dev.weir.datapath.kernel;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * A raw IPv4 socket for one IP protocol, in the calling thread's network namespace: it sends payloads the
 * kernel puts an IP header on, and receives whole IP packets of that protocol delivered to the namespace.
 * For protocols the kernel has no sockets for (SCTP on this machine's kernel): tests craft the packets.
 */
public final class RawIpSocket implements AutoCloseable {
    private static final int AF_INET = 2, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000, SOL_SOCKET = 1, SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;

    private final Fd socket;
    private final int protocol;

    private RawIpSocket(Fd socket, int protocol) {
        this.socket = socket;
        this.protocol = protocol;
    }

    /** @param receiveTimeoutMillis how long {@link #receive} waits before it answers empty */
    public static RawIpSocket open(int protocol, int receiveTimeoutMillis) {
        Libc.Result opened = Libc.socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (opened.failed()) throw new SyscallException("socket(AF_INET, SOCK_RAW, " + protocol + ")", opened.errno(), "");
        var raw = new RawIpSocket(new Fd((int) opened.value(), "raw IPv4 socket for protocol " + protocol), protocol);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timeout = arena.allocate(16, 8); // struct timeval
            timeout.set(JAVA_LONG, 0, receiveTimeoutMillis / 1000);
            timeout.set(JAVA_LONG, 8, (receiveTimeoutMillis % 1000) * 1000L);
            Libc.Result set = Libc.setsockopt(raw.socket.get(), SOL_SOCKET, SO_RCVTIMEO, timeout);
            if (set.failed()) {
                raw.close();
                throw new SyscallException("setsockopt(SO_RCVTIMEO)", set.errno(), "");
            }
        }
        return raw;
    }

    /** Sends {@code payload} (the protocol's header and data) to {@code destination} (host-order IPv4). */
    public void send(int destination, byte[] payload) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(16, 4); // struct sockaddr_in
            MemorySegment.copy(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putShort((short) AF_INET).order(ByteOrder.BIG_ENDIAN)
                    .putShort((short) 0).putInt(destination).array(), 0, address, JAVA_BYTE, 0, 8);
            MemorySegment data = arena.allocate(payload.length);
            MemorySegment.copy(payload, 0, data, JAVA_BYTE, 0, payload.length);
            Libc.Result sent = Libc.sendto(socket.get(), data, address);
            if (sent.failed()) throw new SyscallException("sendto(raw protocol " + protocol + ")", sent.errno(), "");
        }
    }

    /** The next IPv4 packet (header included) of the protocol delivered here, or empty after the timeout. */
    public Optional<byte[]> receive() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(65_536);
            Libc.Result received = Libc.recv(socket.get(), buffer);
            if (received.failed()) {
                if (received.errno() == EAGAIN) return Optional.empty();
                throw new SyscallException("recv(raw protocol " + protocol + ")", received.errno(), "");
            }
            return Optional.of(buffer.asSlice(0, received.value()).toArray(JAVA_BYTE));
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
