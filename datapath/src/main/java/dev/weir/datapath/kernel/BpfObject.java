package dev.weir.datapath.kernel;

import java.nio.file.Path;

/** A kernel object this process holds by file descriptor: a map, a program or a link. */
public sealed interface BpfObject extends AutoCloseable permits KernelMap, KernelProgram, KernelLink {
    /** The descriptor number, for calls that take it; throws IllegalStateException once closed. */
    int fd();

    /** Pins the object at {@code path} in bpffs, so it outlives this process (see {@link Bpffs#pin}). */
    default void pin(Path path) {
        Bpffs.pin(this, path);
    }

    /** Releases this process's descriptor; the kernel frees the object once nothing else holds it. */
    @Override
    void close();
}
