package dev.weir.datapath.kernel;

import dev.weir.datapath.maps.Errno;
import dev.weir.datapath.vm.ProgramType;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

/**
 * A program loaded into the kernel (BPF_PROG_LOAD), owning its descriptor. Maps are passed in
 * {@code fd_array}: bytecode refers to them by index (BPF_PSEUDO_MAP_IDX, _IDX_VALUE), so the
 * same bytes load here and into the interpreter.
 */
public final class KernelProgram implements BpfObject {
    private static final int PROG_TYPE = 0, INSN_CNT = 4, INSNS = 8, LICENSE = 16, LOG_LEVEL = 24, LOG_SIZE = 28,
            LOG_BUF = 32, PROG_NAME = 48, EXPECTED_ATTACH_TYPE = 68, FD_ARRAY = 120, LOG_TRUE_SIZE = 140;
    private static final String LICENSE_TEXT = "GPL";
    static final int INITIAL_LOG_SIZE = 16 << 20;
    /** Beyond this the kernel's log keeps its tail only (where the complaint is) and says ENOSPC. */
    static final int MAX_LOG_SIZE = 256 << 20;

    private final String name;
    private final ProgramType type;
    private final Fd fd;
    private final String verifierLog;

    private KernelProgram(String name, ProgramType type, Fd fd, String verifierLog) {
        this.name = name;
        this.type = type;
        this.fd = fd;
        this.verifierLog = verifierLog;
    }

    /** Loads with {@code maps} as fd_array: map index i in the bytecode is {@code maps.get(i)}. */
    public static KernelProgram load(ProgramSpec spec, List<KernelMap> maps) {
        checkMaps(spec, maps);
        int[] mapFds = maps.stream().mapToInt(KernelMap::fd).toArray();
        if (spec.log() == VerifierLog.NONE) {
            int result;
            try (BpfAttr attr = prepare(spec, mapFds)) {
                result = attr.invokeOrErrno();
            }
            if (result >= 0) return new KernelProgram(spec.name(), spec.type(), new Fd(result, describe(spec)), "");
            // Loading again with a log costs a second verification, paid only on failure.
            return loadWithLog(spec, mapFds, VerifierLog.BASIC, -result);
        }
        return loadWithLog(spec, mapFds, spec.log(), 0);
    }

    /** The maps must be the ones the spec declares, in its order: the bytecode indexes them. */
    private static void checkMaps(ProgramSpec spec, List<KernelMap> maps) {
        if (maps.size() != spec.maps().size()) {
            throw new IllegalArgumentException("program '" + spec.name() + "' uses " + spec.maps().size()
                    + " maps but " + maps.size() + " were given");
        }
        for (int i = 0; i < maps.size(); i++) {
            if (!maps.get(i).spec().equals(spec.maps().get(i))) {
                throw new IllegalArgumentException("program '" + spec.name() + "': map " + i + " is "
                        + maps.get(i).spec() + ", the program expects " + spec.maps().get(i));
            }
        }
    }

    public static KernelProgram load(ProgramSpec spec, KernelMap... maps) {
        return load(spec, List.of(maps));
    }

    /** Opens a program pinned in bpffs. */
    public static KernelProgram openPinned(Path path) {
        Fd fd = Bpffs.open(path, "program pinned at " + path);
        try {
            ProgramInfo info = ProgramInfo.of(fd.get(), fd.toString());
            return new KernelProgram(info.name(), programType(info.type()), fd, "");
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public ProgramType type() {
        return type;
    }

    @Override
    public int fd() {
        return fd.get();
    }

    /** The verifier's log of the load, when the spec asked for one; empty otherwise. */
    public String verifierLog() {
        return verifierLog;
    }

    public ProgramInfo info() {
        return ProgramInfo.of(fd.get(), "program '" + name + "'");
    }

    /** Runs the program once or {@code repeat} times on a packet, in the kernel (BPF_PROG_TEST_RUN). */
    public TestRun testRun(TestRunRequest request) {
        return TestRun.run(this, request);
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "KernelProgram['" + name + "' " + type + ", " + fd + "]";
    }

    private static KernelProgram loadWithLog(ProgramSpec spec, int[] mapFds, VerifierLog level, int firstErrno) {
        int logSize = INITIAL_LOG_SIZE;
        while (true) {
            try (BpfAttr attr = prepare(spec, mapFds)) {
                MemorySegment log = attr.buffer(logSize);
                attr.u32(LOG_LEVEL, level.level).u32(LOG_SIZE, logSize).pointer(LOG_BUF, log);
                int result = attr.invokeOrErrno();
                String text = log.getString(0);
                if (result >= 0) return new KernelProgram(spec.name(), spec.type(), new Fd(result, describe(spec)), text);
                boolean truncated = result == -Errno.ENOSPC.code;
                if (truncated && logSize < MAX_LOG_SIZE) {
                    // log_true_size (Linux 6.4+) says how much the whole log needs; older kernels leave it 0.
                    long needed = Integer.toUnsignedLong(attr.u32(LOG_TRUE_SIZE)) + 1;
                    logSize = (int) Math.min(MAX_LOG_SIZE, Math.max(needed, 2L * logSize));
                    continue;
                }
                // A log that overflowed even the largest buffer hides the first load's real errno.
                int errno = truncated && firstErrno != 0 ? firstErrno : -result;
                if (text.isBlank()) throw attr.failure(errno);
                throw new VerifierException(errno, spec.name(), text);
            }
        }
    }

    private static BpfAttr prepare(ProgramSpec spec, int[] mapFds) {
        BpfAttr attr = Bpf.prepare(BpfCommand.PROG_LOAD, describe(spec));
        byte[] insns = spec.code().toByteArray();
        attr.u32(PROG_TYPE, spec.type().kernelId)
                .u32(INSN_CNT, spec.code().slotCount())
                .pointer(INSNS, attr.copyOf(insns))
                .pointer(LICENSE, attr.copyOf(LICENSE_TEXT))
                .name(PROG_NAME, spec.name())
                .pointer(FD_ARRAY, mapFds.length == 0 ? MemorySegment.NULL : attr.copyOf(mapFds));
        if (spec.expectedAttachType() != null) attr.u32(EXPECTED_ATTACH_TYPE, spec.expectedAttachType().number);
        return attr;
    }

    private static ProgramType programType(int kernelId) {
        for (ProgramType t : ProgramType.values()) {
            if (t.kernelId == kernelId) return t;
        }
        throw new IllegalArgumentException("program type " + kernelId + " is not one Weir loads");
    }

    private static String describe(ProgramSpec spec) {
        return "program '" + spec.name() + "' (" + spec.type() + ")";
    }
}
