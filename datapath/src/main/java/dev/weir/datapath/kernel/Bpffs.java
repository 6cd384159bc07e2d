package dev.weir.datapath.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The BPF file system: pinning maps, programs and links under a path keeps them alive without a
 * process holding them, and lets another process (an agent after restart) open them again.
 */
public final class Bpffs {
    /** Where bpffs is conventionally mounted. */
    public static final Path ROOT = Path.of("/sys/fs/bpf");
    private static final int PATHNAME = 0, BPF_FD = 8;
    private static final Path MOUNTS = Path.of("/proc/self/mounts");

    private Bpffs() {}

    /** Mounts bpffs at {@link #ROOT} unless it already is (mount(2), as root). */
    public static synchronized void ensureMounted() {
        if (isMounted(ROOT)) return;
        try {
            Files.createDirectories(ROOT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + ROOT, e);
        }
        Libc.Result r = Libc.mount("bpf", ROOT.toString(), "bpf", 0, "mode=0700");
        if (r.failed()) throw new SyscallException("mount(bpf, " + ROOT + ")", r.errno(), "");
    }

    /** Whether a bpffs is mounted exactly at {@code mountPoint} (per /proc/self/mounts). */
    public static boolean isMounted(Path mountPoint) {
        try {
            List<String> mounts = Files.readAllLines(MOUNTS);
            return mounts.stream().map(line -> line.split(" "))
                    .anyMatch(f -> f.length > 2 && f[1].equals(mountPoint.toString()) && f[2].equals("bpf"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MOUNTS, e);
        }
    }

    /**
     * BPF_OBJ_PIN: makes {@code object} reachable at {@code path}, creating parent folders. Paths
     * under {@link #ROOT} get bpffs mounted there first. EEXIST if something is pinned there.
     */
    public static void pin(BpfObject object, Path path) {
        Path absolute = path.toAbsolutePath();
        if (absolute.startsWith(ROOT)) ensureMounted();
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + absolute.getParent(), e);
        }
        try (BpfAttr attr = Bpf.prepare(BpfCommand.OBJ_PIN, object + " at " + absolute)) {
            attr.pointer(PATHNAME, attr.copyOf(absolute.toString())).u32(BPF_FD, object.fd());
            attr.invoke();
        }
    }

    /** BPF_OBJ_GET: a new descriptor for what is pinned at {@code path}; {@code what} names it in messages. */
    public static Fd open(Path path, String what) {
        try (BpfAttr attr = Bpf.prepare(BpfCommand.OBJ_GET, what)) {
            attr.pointer(PATHNAME, attr.copyOf(path.toAbsolutePath().toString()));
            return new Fd(attr.invoke(), what);
        }
    }

    /** Removes a pin (unlink(2)); the object lives on while descriptors or other pins hold it. */
    public static void unpin(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpin " + path, e);
        }
    }
}
