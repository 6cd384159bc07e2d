package dev.weir.datapath.kernel;

import dev.weir.datapath.maps.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel reports about a link (struct bpf_link_info), for the XDP and tcx links Weir
 * creates. A detached link still exists but has no interface: ifindex 0.
 *
 * @param type       enum bpf_link_type: {@link #TYPE_XDP}, {@link #TYPE_TCX}
 * @param attachType for tcx links, the direction's attach type number; 0 for XDP
 */
public record LinkInfo(int id, int type, int programId, int ifindex, int attachType) {
    public static final int TYPE_XDP = 6, TYPE_TCX = 11;
    private static final int SIZE = 48;
    private static final int START_ID = 0, NEXT_ID = 4;
    private static final int TYPE = 0, ID = 4, PROG_ID = 8, IFINDEX = 16, TCX_ATTACH_TYPE = 20;

    /** Every bpf link in the system, in all namespaces (BPF_LINK_GET_NEXT_ID, _GET_FD_BY_ID). */
    public static List<LinkInfo> all() {
        List<LinkInfo> links = new ArrayList<>();
        for (int id = nextId(0); id != 0; id = nextId(id)) {
            try (BpfAttr attr = Bpf.prepare(BpfCommand.LINK_GET_FD_BY_ID, "link " + id)) {
                attr.u32(START_ID, id);
                int result = attr.invokeOrErrno();
                if (result == -Errno.ENOENT.code) continue; // released since it was listed
                if (result < 0) throw attr.failure(-result);
                try (Fd fd = new Fd(result, "link " + id)) {
                    links.add(of(fd.get(), "link " + id));
                }
            }
        }
        return links;
    }

    /** The id after {@code id}, or 0 after the last. */
    private static int nextId(int id) {
        try (BpfAttr attr = Bpf.prepare(BpfCommand.LINK_GET_NEXT_ID, "after link " + id)) {
            attr.u32(START_ID, id);
            int result = attr.invokeOrErrno();
            if (result == -Errno.ENOENT.code) return 0;
            if (result < 0) throw attr.failure(-result);
            return attr.u32(NEXT_ID);
        }
    }

    static LinkInfo of(int fd, String context) {
        ObjectInfo info = ObjectInfo.read(fd, SIZE, context);
        int type = info.u32(TYPE);
        boolean net = type == TYPE_XDP || type == TYPE_TCX;
        return new LinkInfo(info.u32(ID), type, info.u32(PROG_ID), net ? info.u32(IFINDEX) : 0,
                type == TYPE_TCX ? info.u32(TCX_ATTACH_TYPE) : 0);
    }
}
