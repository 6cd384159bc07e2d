package dev.weir.datapath.kernel;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Which XDP programs an interface runs. BPF_PROG_QUERY does not know the XDP hook (EINVAL), so
 * this asks rtnetlink (RTM_GETLINK, attribute IFLA_XDP) in the calling thread's namespace, the way
 * `ip link` does, then finds the links holding those programs among all bpf links.
 */
final class XdpQuery {
    private static final int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000, NETLINK_ROUTE = 0;
    private static final int RTM_NEWLINK = 16, RTM_GETLINK = 18, NLM_F_REQUEST = 1, NLMSG_ERROR = 2;
    private static final int NLMSG_HDRLEN = 16, IFINFOMSG_LEN = 16;
    private static final int IFLA_XDP = 43;
    private static final int IFLA_XDP_PROG_ID = 4, IFLA_XDP_DRV_PROG_ID = 5, IFLA_XDP_SKB_PROG_ID = 6,
            IFLA_XDP_HW_PROG_ID = 7;
    private static final int NLA_TYPE_MASK = 0x3fff;
    private static final int RECEIVE_BUFFER = 64 << 10;

    private XdpQuery() {}

    static Attachments query(int ifindex) {
        List<Integer> programIds = attachedProgramIds(ifindex);
        List<Integer> linkIds = new ArrayList<>();
        if (!programIds.isEmpty()) {
            List<LinkInfo> links = LinkInfo.all();
            for (int programId : programIds) {
                // Link info carries no namespace: a match on both program and ifindex is the best there is.
                linkIds.add(links.stream()
                        .filter(l -> l.type() == LinkInfo.TYPE_XDP && l.ifindex() == ifindex && l.programId() == programId)
                        .mapToInt(LinkInfo::id).findFirst().orElse(0));
            }
        }
        return new Attachments(programIds, linkIds, 0);
    }

    /** The ids in IFLA_XDP: one program, or one per mode when several modes are in use. */
    private static List<Integer> attachedProgramIds(int ifindex) {
        Libc.Result opened = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (opened.failed()) throw new SyscallException("socket(AF_NETLINK, NETLINK_ROUTE)", opened.errno(), "");
        try (Fd socket = new Fd((int) opened.value(), "rtnetlink socket"); Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(NLMSG_HDRLEN + IFINFOMSG_LEN, 4);
            request.set(JAVA_INT_UNALIGNED, 0, (int) request.byteSize());       // nlmsg_len
            request.set(JAVA_SHORT_UNALIGNED, 4, (short) RTM_GETLINK);          // nlmsg_type
            request.set(JAVA_SHORT_UNALIGNED, 6, (short) NLM_F_REQUEST);        // nlmsg_flags
            request.set(JAVA_INT_UNALIGNED, NLMSG_HDRLEN + 4, ifindex);         // ifi_index
            Libc.Result sent = Libc.send(socket.get(), request);
            if (sent.failed()) throw new SyscallException("send(RTM_GETLINK)", sent.errno(), "");
            MemorySegment reply = arena.allocate(RECEIVE_BUFFER, 4);
            Libc.Result received = Libc.recv(socket.get(), reply);
            if (received.failed()) throw new SyscallException("recv(RTM_GETLINK)", received.errno(), "");
            return parse(reply.asSlice(0, received.value()), ifindex);
        }
    }

    private static List<Integer> parse(MemorySegment message, int ifindex) {
        int type = message.get(JAVA_SHORT_UNALIGNED, 4);
        if (type == NLMSG_ERROR) {
            int error = -message.get(JAVA_INT_UNALIGNED, NLMSG_HDRLEN);
            throw new SyscallException("RTM_GETLINK for ifindex " + ifindex, error, "");
        }
        if (type != RTM_NEWLINK) throw new IllegalStateException("RTM_GETLINK answered with message type " + type);
        int length = message.get(JAVA_INT_UNALIGNED, 0);
        MemorySegment xdp = attribute(message.asSlice(NLMSG_HDRLEN + IFINFOMSG_LEN, length - NLMSG_HDRLEN - IFINFOMSG_LEN), IFLA_XDP);
        List<Integer> ids = new ArrayList<>();
        if (xdp == null) return ids;
        MemorySegment single = attribute(xdp, IFLA_XDP_PROG_ID);
        if (single != null) {
            ids.add(single.get(JAVA_INT_UNALIGNED, 0));
            return ids;
        }
        for (int mode : new int[] {IFLA_XDP_DRV_PROG_ID, IFLA_XDP_SKB_PROG_ID, IFLA_XDP_HW_PROG_ID}) {
            MemorySegment id = attribute(xdp, mode);
            if (id != null) ids.add(id.get(JAVA_INT_UNALIGNED, 0));
        }
        return ids;
    }

    /** The payload of the first attribute of {@code type} in a run of rtattrs, or null. */
    private static MemorySegment attribute(MemorySegment attributes, int type) {
        long at = 0;
        while (at + 4 <= attributes.byteSize()) {
            int length = Short.toUnsignedInt(attributes.get(JAVA_SHORT_UNALIGNED, at));
            int kind = Short.toUnsignedInt(attributes.get(JAVA_SHORT_UNALIGNED, at + 2)) & NLA_TYPE_MASK;
            if (length < 4) break;
            if (kind == type) return attributes.asSlice(at + 4, length - 4);
            at += (length + 3) & ~3;
        }
        return null;
    }
}
