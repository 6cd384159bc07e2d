package dev.weir.datapath.kernel;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.weir.datapath.maps.Errno;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The programs attached at one hook of an interface (BPF_PROG_QUERY), in run order.
 *
 * @param programIds the programs' ids
 * @param linkIds    for each program, the id of the link holding it (0 if attached without a link)
 * @param revision   the hook's revision, which every change increments (tcx; 0 for XDP)
 */
public record Attachments(List<Integer> programIds, List<Integer> linkIds, long revision) {
    private static final int TARGET_IFINDEX = 0, ATTACH_TYPE = 4, PROG_IDS = 16, COUNT = 24, LINK_IDS = 40, REVISION = 56;
    private static final int INITIAL_ROOM = 64;

    public Attachments {
        programIds = List.copyOf(programIds);
        linkIds = List.copyOf(linkIds);
    }

    /**
     * What is attached at {@code hook} of the interface, in the calling thread's namespace. The
     * kernel answers BPF_PROG_QUERY for tcx only; XDP is asked through rtnetlink instead.
     */
    public static Attachments query(int ifindex, AttachType hook) {
        if (hook == AttachType.XDP) return XdpQuery.query(ifindex);
        int room = INITIAL_ROOM;
        while (true) {
            try (BpfAttr attr = Bpf.prepare(BpfCommand.PROG_QUERY, hook + " on ifindex " + ifindex)) {
                MemorySegment progIds = attr.buffer(4L * room);
                MemorySegment linkIds = attr.buffer(4L * room);
                attr.u32(TARGET_IFINDEX, ifindex).u32(ATTACH_TYPE, hook.number)
                        .pointer(PROG_IDS, progIds).pointer(LINK_IDS, linkIds).u32(COUNT, room);
                int result = attr.invokeOrErrno();
                int count = attr.u32(COUNT);
                if (result == -Errno.ENOSPC.code && count > room) {
                    room = count; // attached meanwhile: ask again with room for all
                    continue;
                }
                if (result < 0) throw attr.failure(-result);
                return new Attachments(ids(progIds, count), ids(linkIds, count), attr.u64(REVISION));
            }
        }
    }

    private static List<Integer> ids(MemorySegment array, int count) {
        List<Integer> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) ids.add(array.getAtIndex(JAVA_INT, i));
        return ids;
    }
}
