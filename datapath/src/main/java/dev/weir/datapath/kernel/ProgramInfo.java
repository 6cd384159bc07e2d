package dev.weir.datapath.kernel;

import java.util.HexFormat;

/**
 * What the kernel reports about a loaded program (struct bpf_prog_info). {@code runCount} and
 * {@code runTimeNs} only grow while the kernel keeps statistics (sysctl kernel.bpf_stats_enabled).
 *
 * @param tag               the kernel's hash of the instructions, as bpftool prints it
 * @param xlatedLength      bytes of instructions after the verifier's rewriting
 * @param jitedLength       bytes of machine code (0 without JIT)
 * @param mapCount          maps the program uses
 * @param verifiedInsns     instructions the verifier processed
 */
public record ProgramInfo(int id, int type, String name, String tag, int xlatedLength, int jitedLength, int mapCount,
                          long runCount, long runTimeNs, int verifiedInsns) {
    private static final int SIZE = 232;
    private static final int TYPE = 0, ID = 4, TAG = 8, JITED_LEN = 16, XLATED_LEN = 20, NR_MAP_IDS = 52, NAME = 64,
            RUN_TIME_NS = 192, RUN_CNT = 200, VERIFIED_INSNS = 216;

    static ProgramInfo of(int fd, String context) {
        ObjectInfo info = ObjectInfo.read(fd, SIZE, context);
        return new ProgramInfo(info.u32(ID), info.u32(TYPE), info.name(NAME), HexFormat.of().formatHex(info.bytes(TAG, 8)),
                info.u32(XLATED_LEN), info.u32(JITED_LEN), info.u32(NR_MAP_IDS), info.u64(RUN_CNT),
                info.u64(RUN_TIME_NS), info.u32(VERIFIED_INSNS));
    }
}
