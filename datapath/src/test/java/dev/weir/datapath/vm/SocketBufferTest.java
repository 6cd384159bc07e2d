package dev.weir.datapath.vm;

import static dev.weir.datapath.asm.Asm.*;
import static dev.weir.datapath.isa.Register.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.datapath.asm.Assembler;
import dev.weir.datapath.isa.Helper;
import dev.weir.datapath.packet.Frames;
import org.junit.jupiter.api.Test;

/** tc programs: __sk_buff fields, packet helpers and checksum updates, checked against recomputed checksums. */
class SocketBufferTest {
    private final Interpreter vm = new Interpreter();
    private static final int SRC = Frames.ip("10.0.0.1"), DST = Frames.ip("10.0.0.2"), NEW_DST = Frames.ip("192.168.7.9");

    private static VmProgram tc(Assembler a) {
        return VmProgram.load("tc", ProgramType.SCHED_CLS, a.build().encode());
    }

    private RunResult.Returned run(VmProgram p, byte[] frame) {
        return (RunResult.Returned) vm.runTc(p, frame, SkbMetadata.forPacket(frame, 3));
    }

    @Test
    void fieldsReadAsTheKernelPresentsThem() {
        byte[] frame = Frames.tcp(SRC, DST, 40000, 80, Frames.TCP_SYN);
        var len = tc(new Assembler().add(ldxw(R0, R1, SkbContext.LEN), exit()));
        assertThat(run(len, frame).value()).isEqualTo(frame.length);
        var protocol = tc(new Assembler().add(ldxw(R0, R1, SkbContext.PROTOCOL), exit()));
        assertThat(run(protocol, frame).value()).isEqualTo(0x0008); // htons(ETH_P_IP) read on little-endian
        var ifindex = tc(new Assembler().add(ldxw(R0, R1, SkbContext.IFINDEX), exit()));
        assertThat(run(ifindex, frame).value()).isEqualTo(3);
    }

    @Test
    void markIsWritableButLenIsNot() {
        byte[] frame = Frames.tcp(SRC, DST, 40000, 80, Frames.TCP_SYN);
        var mark = tc(new Assembler().add(stw(R1, SkbContext.MARK, 0x77), ldxw(R0, R1, SkbContext.MARK), exit()));
        assertThat(run(mark, frame).value()).isEqualTo(0x77);
        var len = tc(new Assembler().add(stw(R1, SkbContext.LEN, 1), mov64(R0, 0), exit()));
        assertThat(vm.runTc(len, frame, SkbMetadata.forPacket(frame, 3))).isInstanceOf(RunResult.Faulted.class);
    }

    @Test
    void rewritingTheDestinationWithChecksumHelpersGivesValidChecksums() {
        byte[] frame = Frames.tcp(SRC, DST, 40000, 80, Frames.TCP_SYN);
        // old address from the packet, new address to the stack, store it, fix IP and TCP checksums
        var nat = tc(new Assembler().add(
                mov64(R6, R1),
                ldxw(R2, R1, SkbContext.DATA), ldxw(R3, R1, SkbContext.DATA_END),
                mov64(R4, R2), add64(R4, 54), jgt(R4, R3, "out"),
                ldxw(R7, R2, 30),                                   // old daddr (network order)
                mov32(R8, Integer.reverseBytes(NEW_DST)), stxw(R10, -4, R8),
                mov64(R1, R6), mov64(R2, 30), mov64(R3, R10), add64(R3, -4), mov64(R4, 4), mov64(R5, 0),
                call(Helper.SKB_STORE_BYTES),
                mov64(R1, R6), mov64(R2, 24), mov64(R3, R7), mov64(R4, R8), mov64(R5, 4),
                call(Helper.L3_CSUM_REPLACE),
                mov64(R1, R6), mov64(R2, 50), mov64(R3, R7), mov64(R4, R8), mov64(R5, 0x10 | 4),
                call(Helper.L4_CSUM_REPLACE))
                .label("out").add(mov64(R0, 0), exit()));
        byte[] out = run(nat, frame).packet();
        byte[] expected = Frames.tcp(SRC, NEW_DST, 40000, 80, Frames.TCP_SYN);
        assertThat(out).isEqualTo(expected);
    }

    @Test
    void loadBytesCopiesFromThePacketAndFailsPastItsEnd() {
        byte[] frame = Frames.udp(SRC, DST, 1000, 53, new byte[]{1, 2, 3, 4});
        var load = tc(new Assembler().add(
                mov64(R2, 42), mov64(R3, R10), add64(R3, -4), mov64(R4, 4), call(Helper.SKB_LOAD_BYTES),
                jne(R0, 0, "err"), ldxw(R0, R10, -4), exit())
                .label("err").add(exit()));
        assertThat(run(load, frame).value()).isEqualTo(0x04030201L);
        byte[] shorter = java.util.Arrays.copyOf(frame, 44);
        assertThat(run(load, shorter).value()).isEqualTo(-14L); // -EFAULT
    }

    @Test
    void csumDiffMatchesAFullRecomputation() {
        // csum_diff(old 4 bytes, new 4 bytes) applied by diff to the IPv4 header checksum
        byte[] frame = Frames.udp(SRC, DST, 1000, 53, new byte[4]);
        var p = tc(new Assembler().add(
                mov64(R6, R1),
                ldxw(R2, R1, SkbContext.DATA), ldxw(R3, R1, SkbContext.DATA_END),
                mov64(R4, R2), add64(R4, 34), jgt(R4, R3, "out"),
                ldxw(R7, R2, 30), stxw(R10, -8, R7),
                mov32(R8, Integer.reverseBytes(NEW_DST)), stxw(R10, -4, R8),
                mov64(R1, R10), add64(R1, -8), mov64(R2, 4), mov64(R3, R10), add64(R3, -4), mov64(R4, 4), mov64(R5, 0),
                call(Helper.CSUM_DIFF), mov64(R9, R0),
                mov64(R1, R6), mov64(R2, 30), mov64(R3, R10), add64(R3, -4), mov64(R4, 4), mov64(R5, 0),
                call(Helper.SKB_STORE_BYTES),
                mov64(R1, R6), mov64(R2, 24), mov64(R3, 0), mov64(R4, R9), mov64(R5, 0),
                call(Helper.L3_CSUM_REPLACE))
                .label("out").add(mov64(R0, 0), exit()));
        byte[] out = run(p, frame).packet();
        assertThat(Frames.checksum(out, 14, 20, 0)).isZero(); // a valid header sums to zero
        assertThat(java.util.Arrays.copyOfRange(out, 30, 34)).containsExactly(192, 168, 7, 9);
    }

    @Test
    void legacyPacketLoadsReadBigEndianAndEndTheProgramWhenOutOfBounds() {
        byte[] frame = Frames.tcp(SRC, DST, 40000, 80, Frames.TCP_SYN);
        var p = tc(new Assembler().add(mov64(R6, R1),
                new dev.weir.datapath.isa.Instruction.PacketLoad(dev.weir.datapath.isa.Size.H, null, 36), exit()));
        assertThat(run(p, frame).value()).isEqualTo(80);
        var oob = tc(new Assembler().add(mov64(R6, R1), mov64(R0, 9),
                new dev.weir.datapath.isa.Instruction.PacketLoad(dev.weir.datapath.isa.Size.W, null, 5000), exit()));
        assertThat(run(oob, frame).value()).isZero();
    }

    private long csumReplace(boolean l4, int offset, long from, long to, long flags, byte[] frame) {
        var p = tc(new Assembler().add(mov64(R2, offset), lddw(R3, from), lddw(R4, to), lddw(R5, flags),
                call(l4 ? Helper.L4_CSUM_REPLACE : Helper.L3_CSUM_REPLACE), exit()));
        return run(p, frame).value();
    }

    @Test
    void checksumHelpersCheckTheirArgumentsAsTheKernelDoes() {
        byte[] frame = Frames.udp(SRC, DST, 1000, 53, new byte[4]);
        assertThat(csumReplace(false, 25, 0, 1, 2, frame)).isEqualTo(-14);       // odd offset: EFAULT
        assertThat(csumReplace(false, 24, 1, 1, 0, frame)).isEqualTo(-22);       // by-diff mode with a "from": EINVAL
        assertThat(csumReplace(true, 40, 0x1234, 0x4321, 0x80 | 2, frame)).isZero(); // BPF_F_IPV6 is accepted by l4
        assertThat(csumReplace(false, 24, 0x1234, 0x4321, 0x80 | 2, frame)).isEqualTo(-22); // but not by l3
    }

    @Test
    void markEnforceUpdatesAZeroChecksum() {
        byte[] frame = Frames.udp(SRC, DST, 1000, 53, new byte[4]);
        frame[40] = 0;
        frame[41] = 0; // UDP checksum 0: "none"
        var keep = tc(new Assembler().add(mov64(R2, 40), mov64(R3, 0x1234), mov64(R4, 0x4321), mov64(R5, 0x20 | 2),
                call(Helper.L4_CSUM_REPLACE), exit()));
        assertThat(java.util.Arrays.copyOfRange(run(keep, frame).packet(), 40, 42)).containsOnly(0);
        var enforce = tc(new Assembler().add(mov64(R2, 40), mov64(R3, 0x1234), mov64(R4, 0x4321), mov64(R5, 0x40 | 0x20 | 2),
                call(Helper.L4_CSUM_REPLACE), exit()));
        assertThat(java.util.Arrays.copyOfRange(run(enforce, frame).packet(), 40, 42)).isNotEqualTo(new byte[2]);
    }

    @Test
    void sixteenBitFieldsKeepSixteenBitsAndFamilyIsNotReadable() {
        byte[] frame = Frames.tcp(SRC, DST, 40000, 80, Frames.TCP_SYN);
        var tcIndex = tc(new Assembler().add(mov32(R2, 0x12345), stxw(R1, SkbContext.TC_INDEX, R2),
                ldxw(R0, R1, SkbContext.TC_INDEX), exit()));
        assertThat(run(tcIndex, frame).value()).isEqualTo(0x2345);
        var queue = tc(new Assembler().add(stw(R1, SkbContext.QUEUE_MAPPING, 3), stw(R1, SkbContext.QUEUE_MAPPING, 0xffff),
                ldxw(R0, R1, SkbContext.QUEUE_MAPPING), exit()));
        assertThat(run(queue, frame).value()).isEqualTo(3);
        var family = tc(new Assembler().add(ldxw(R0, R1, SkbContext.FAMILY), exit()));
        assertThat(vm.runTc(family, frame, SkbMetadata.forPacket(frame, 3))).isInstanceOf(RunResult.Faulted.class);
    }

    @Test
    void anOversizedLengthIsAFaultNotAnInternalError() {
        byte[] frame = Frames.udp(SRC, DST, 1000, 53, new byte[4]);
        var p = tc(new Assembler().add(mov64(R2, 0), mov64(R3, R10), add64(R3, -8), mov64(R4, -1),
                call(Helper.SKB_LOAD_BYTES), exit()));
        var fault = ((RunResult.Faulted) vm.runTc(p, frame, SkbMetadata.forPacket(frame, 3))).fault();
        assertThat(fault.getMessage()).doesNotContain("internal error").contains("too large");
    }

    @Test
    void cbIsScratchSpaceAtAnyAlignedWidth() {
        byte[] frame = Frames.tcp(SRC, DST, 40000, 80, Frames.TCP_SYN);
        var p = tc(new Assembler().add(stdw(R1, SkbContext.CB, 0), stb(R1, SkbContext.CB + 1, 0x5a),
                ldxw(R2, R1, SkbContext.CB), ldxdw(R0, R1, SkbContext.CB), add64(R0, R2), exit()));
        assertThat(run(p, frame).value()).isEqualTo(0x5a00 + 0x5a00);
        var crossing = tc(new Assembler().add(ldxdw(R0, R1, SkbContext.CB + 16), exit()));
        assertThat(vm.runTc(crossing, frame, SkbMetadata.forPacket(frame, 3))).isInstanceOf(RunResult.Faulted.class);
    }
}
