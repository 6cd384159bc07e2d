package dev.weir.datapath.kernel;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An rtnetlink socket in the calling thread's network namespace (so open it inside {@link NetNs#run} to
 * configure another): each request asks for an acknowledgement, and a refusal becomes a
 * {@link SyscallException} naming the request and the errno, as {@code ip} would report it.
 */
final class Rtnetlink implements AutoCloseable {
    private static final int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000, NETLINK_ROUTE = 0;
    private static final int NLMSG_ERROR = 2, NLMSG_HDRLEN = 16;

    private final Fd socket;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment reply = arena.allocate(64 << 10, 4);
    private int sequence;

    Rtnetlink() {
        Libc.Result opened = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (opened.failed()) throw new SyscallException("socket(AF_NETLINK, NETLINK_ROUTE)", opened.errno(), "");
        socket = new Fd((int) opened.value(), "rtnetlink socket");
    }

    /** Sends {@code message} and waits for the kernel's acknowledgement. */
    void request(NetlinkMessage message, String what) {
        int seq = ++sequence;
        byte[] bytes = message.finish(seq);
        MemorySegment request = arena.allocate(bytes.length, 4);
        MemorySegment.copy(bytes, 0, request, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
        Libc.Result sent = Libc.send(socket.get(), request);
        if (sent.failed()) throw new SyscallException("send(" + what + ")", sent.errno(), "");
        while (true) {
            Libc.Result received = Libc.recv(socket.get(), reply);
            if (received.failed()) throw new SyscallException("recv(" + what + ")", received.errno(), "");
            long at = 0;
            while (at + NLMSG_HDRLEN <= received.value()) {
                int length = reply.get(JAVA_INT_UNALIGNED, at);
                int type = Short.toUnsignedInt(reply.get(JAVA_SHORT_UNALIGNED, at + 4));
                int replySequence = reply.get(JAVA_INT_UNALIGNED, at + 8);
                if (type == NLMSG_ERROR && replySequence == seq) {
                    int error = -reply.get(JAVA_INT_UNALIGNED, at + NLMSG_HDRLEN);
                    if (error != 0) throw new SyscallException(what, error, "");
                    return;
                }
                if (length < NLMSG_HDRLEN) break;
                at += (length + 3) & ~3;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        arena.close();
    }
}
