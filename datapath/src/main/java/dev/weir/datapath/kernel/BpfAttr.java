package dev.weir.datapath.kernel;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * One bpf(2) call in preparation: a zeroed union bpf_attr plus the native buffers it points at,
 * all in one confined arena that {@link #close} frees. Fields are written at the byte offsets of
 * ../shared/notes/ebpf-facts.md; the kernel's structs are little-endian on every host Weir runs on.
 */
final class BpfAttr implements AutoCloseable {
    static final int OBJ_NAME_LEN = 16;
    private static final int LOAD_RETRIES = 5;

    private final BpfCommand command;
    private final String context;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment attr;

    BpfAttr(BpfCommand command, String context, int size) {
        this.command = command;
        this.context = context;
        this.attr = arena.allocate(size, 8); // arena memory starts zeroed: unused fields are 0
    }

    BpfAttr u32(long offset, int value) {
        attr.set(JAVA_INT_UNALIGNED, offset, value);
        return this;
    }

    BpfAttr u64(long offset, long value) {
        attr.set(JAVA_LONG_UNALIGNED, offset, value);
        return this;
    }

    /** A __aligned_u64 pointer field; NULL for {@link MemorySegment#NULL}. */
    BpfAttr pointer(long offset, MemorySegment target) {
        return u64(offset, target.address());
    }

    /** A char[16] object name, NUL-padded (the kernel accepts 15 characters). */
    BpfAttr name(long offset, String name) {
        byte[] bytes = ObjectNames.check(name).getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(bytes, 0, attr, JAVA_BYTE, offset, bytes.length);
        return this;
    }

    int u32(long offset) {
        return attr.get(JAVA_INT_UNALIGNED, offset);
    }

    long u64(long offset) {
        return attr.get(JAVA_LONG_UNALIGNED, offset);
    }

    /** A native copy of {@code bytes}, living as long as this call. */
    MemorySegment copyOf(byte[] bytes) {
        return bytes.length == 0 ? arena.allocate(1) : arena.allocateFrom(JAVA_BYTE, bytes);
    }

    MemorySegment copyOf(int[] ints) {
        return ints.length == 0 ? arena.allocate(4) : arena.allocateFrom(JAVA_INT, ints);
    }

    /** A NUL-terminated copy of a string (paths). */
    MemorySegment copyOf(String text) {
        return arena.allocateFrom(text);
    }

    /** A zeroed native buffer of {@code size} bytes, living as long as this call. */
    MemorySegment buffer(long size) {
        return arena.allocate(Math.max(size, 1), 8);
    }

    /** Makes the call; returns its non-negative result (0, or a new file descriptor). */
    int invoke() {
        int result = invokeOrErrno();
        if (result < 0) throw failure(-result);
        return result;
    }

    /** Makes the call; returns its result, or the negative errno when the kernel refused. */
    int invokeOrErrno() {
        Libc.Result r = Libc.bpf(command.number, attr);
        for (int retry = 0; retry < LOAD_RETRIES && interruptedLoad(r); retry++) r = Libc.bpf(command.number, attr);
        return r.failed() ? -r.errno() : (int) r.value();
    }

    /** The verifier gives up with EAGAIN when a signal arrives mid-verification; libbpf retries too. */
    private boolean interruptedLoad(Libc.Result r) {
        return command == BpfCommand.PROG_LOAD && r.failed() && r.errno() == Libc.EAGAIN;
    }

    BpfException failure(int errno) {
        return new BpfException(command, errno, context);
    }

    BpfCommand command() {
        return command;
    }

    String context() {
        return context;
    }

    @Override
    public void close() {
        arena.close();
    }
}
