package dev.weir.datapath.kernel;

import java.nio.file.Path;

/**
 * A program attached to an interface through a bpf link (BPF_LINK_CREATE): the attachment lasts
 * while the link is held (this descriptor, or a pin), and the program can be swapped atomically.
 * Closing the last holder detaches the program.
 */
public final class KernelLink implements BpfObject {
    // BPF_LINK_CREATE; tcx's relative_fd (16) and expected_revision (24) stay 0: append, any revision.
    private static final int PROG_FD = 0, TARGET_IFINDEX = 4, ATTACH_TYPE = 8, FLAGS = 12;
    // BPF_LINK_UPDATE
    private static final int LINK_FD = 0, NEW_PROG_FD = 4, UPDATE_FLAGS = 8, OLD_PROG_FD = 12;
    private static final int BPF_F_REPLACE = 1 << 2;

    private final Fd fd;
    private final String what;

    private KernelLink(Fd fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    /** Attaches an XDP program to an interface of the calling thread's namespace. EBUSY if one is already attached. */
    public static KernelLink attachXdp(KernelProgram program, int ifindex, XdpMode mode) {
        return create(program, ifindex, AttachType.XDP, mode.flags);
    }

    public static KernelLink attachXdp(KernelProgram program, int ifindex) {
        return attachXdp(program, ifindex, XdpMode.DEFAULT);
    }

    /** Attaches a tc program at ingress or egress, after any programs already there. */
    public static KernelLink attachTcx(KernelProgram program, int ifindex, AttachType direction) {
        if (direction != AttachType.TCX_INGRESS && direction != AttachType.TCX_EGRESS) {
            throw new IllegalArgumentException("tcx attaches at TCX_INGRESS or TCX_EGRESS, not " + direction);
        }
        return create(program, ifindex, direction, 0);
    }

    /** Opens a link pinned in bpffs. */
    public static KernelLink openPinned(Path path) {
        String what = "link pinned at " + path;
        return new KernelLink(Bpffs.open(path, what), what);
    }

    private static KernelLink create(KernelProgram program, int ifindex, AttachType type, int flags) {
        String what = type + " link of program '" + program.name() + "' on ifindex " + ifindex;
        try (BpfAttr attr = Bpf.prepare(BpfCommand.LINK_CREATE, what)) {
            attr.u32(PROG_FD, program.fd()).u32(TARGET_IFINDEX, ifindex).u32(ATTACH_TYPE, type.number).u32(FLAGS, flags);
            return new KernelLink(new Fd(attr.invoke(), what), what);
        }
    }

    /** Swaps in {@code replacement}, atomically: every packet sees one program or the other. */
    public void update(KernelProgram replacement) {
        update(replacement, null);
    }

    /**
     * Swaps in {@code replacement} only if {@code expected} is the program attached now (null: any);
     * otherwise the kernel refuses with EPERM and nothing changes.
     */
    public void update(KernelProgram replacement, KernelProgram expected) {
        try (BpfAttr attr = Bpf.prepare(BpfCommand.LINK_UPDATE, what)) {
            attr.u32(LINK_FD, fd.get()).u32(NEW_PROG_FD, replacement.fd());
            if (expected != null) attr.u32(UPDATE_FLAGS, BPF_F_REPLACE).u32(OLD_PROG_FD, expected.fd());
            attr.invoke();
        }
    }

    /**
     * Detaches the program now, even while pins or other descriptors still hold the link; the
     * link object stays (defunct) until released.
     */
    public void detach() {
        try (BpfAttr attr = Bpf.prepare(BpfCommand.LINK_DETACH, what)) {
            attr.u32(LINK_FD, fd.get());
            attr.invoke();
        }
    }

    public LinkInfo info() {
        return LinkInfo.of(fd.get(), what);
    }

    @Override
    public int fd() {
        return fd.get();
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "KernelLink[" + what + ", " + fd + "]";
    }
}
