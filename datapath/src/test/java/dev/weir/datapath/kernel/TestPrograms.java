package dev.weir.datapath.kernel;

import static dev.weir.datapath.asm.Asm.*;
import static dev.weir.datapath.isa.Register.*;

import dev.weir.datapath.asm.Assembler;
import dev.weir.datapath.isa.Bytecode;
import dev.weir.datapath.isa.Code;
import dev.weir.datapath.isa.Helper;
import dev.weir.datapath.isa.MapRef;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.maps.MapType;
import dev.weir.datapath.vm.ProgramType;
import java.util.List;

/**
 * Small hand-assembled programs for the kernel tests. Maps are named in the code and resolved to
 * indexes into the list of maps passed at load (fd_array), as Weir's compiler does.
 */
final class TestPrograms {
    static final int XDP_DROP = 1, XDP_PASS = 2;
    static final int TC_ACT_OK = 0, TC_ACT_SHOT = 2;
    static final byte MARKER = (byte) 0xaa;
    static final int TC_MARK = 42;
    /** __sk_buff offsets. */
    private static final int SKB_LEN = 0, SKB_MARK = 8;

    private TestPrograms() {}

    /** Encodes {@code code}, map name i of {@code maps} becoming map index i. */
    static Bytecode encode(Code code, List<String> maps) {
        return code.encode(name -> {
            int index = maps.indexOf(name);
            return index < 0 ? null : new MapRef.Index(index);
        });
    }

    static Bytecode returning(int value) {
        return new Assembler().add(mov64(R0, value), exit()).build().encode();
    }

    static ProgramSpec xdpReturning(String name, int value) {
        return ProgramSpec.of(name, ProgramType.XDP, returning(value));
    }

    static ProgramSpec tcReturning(String name, int value) {
        return ProgramSpec.of(name, ProgramType.SCHED_CLS, returning(value));
    }

    static MapSpec counterSpec() {
        return MapSpec.array("counters", 8, 1);
    }

    /** XDP: counts packets in counters[0], overwrites the first byte with {@link #MARKER}, passes. */
    static ProgramSpec xdpCounter() {
        Assembler a = new Assembler();
        a.add(mov64(R6, R1),
              stw(R10, -4, 0),
              loadMap(R1, "counters"), mov64(R2, R10), add64(R2, -4),
              call(Helper.MAP_LOOKUP_ELEM),
              jeq(R0, 0, "rewrite"),
              mov64(R1, 1), atomicAdd64(R0, 0, R1));
        a.label("rewrite").add(
              ldxw(R2, R6, 0), ldxw(R3, R6, 4),       // data, data_end
              mov64(R4, R2), add64(R4, 1),
              jgt(R4, R3, "pass"),
              stb(R2, 0, MARKER));
        a.label("pass").add(mov64(R0, XDP_PASS), exit());
        return ProgramSpec.of("xdp_counter", ProgramType.XDP, encode(a.build(), List.of("counters")), counterSpec());
    }

    static MapSpec lengthsSpec() {
        return MapSpec.hash("lengths", 4, 8, 16);
    }

    /** tc: sets skb->mark to {@link #TC_MARK}, counts packets per skb->len in "lengths", drops. */
    static ProgramSpec tcMarkAndCount() {
        Assembler a = new Assembler();
        a.add(mov64(R6, R1),
              mov64(R2, TC_MARK), stxw(R6, SKB_MARK, R2),
              ldxw(R7, R6, SKB_LEN), stxw(R10, -4, R7),
              loadMap(R1, "lengths"), mov64(R2, R10), add64(R2, -4),
              call(Helper.MAP_LOOKUP_ELEM),
              jne(R0, 0, "found"),
              stdw(R10, -16, 1),
              loadMap(R1, "lengths"), mov64(R2, R10), add64(R2, -4), mov64(R3, R10), add64(R3, -16), mov64(R4, 0),
              call(Helper.MAP_UPDATE_ELEM),
              ja("done"));
        a.label("found").add(mov64(R1, 1), atomicAdd64(R0, 0, R1));
        a.label("done").add(mov64(R0, TC_ACT_SHOT), exit());
        return ProgramSpec.of("tc_mark_count", ProgramType.SCHED_CLS, encode(a.build(), List.of("lengths")), lengthsSpec());
    }

    /** XDP: returns ctx->ingress_ifindex. */
    static ProgramSpec xdpIngressIfindex() {
        return ProgramSpec.of("xdp_ifindex", ProgramType.XDP,
                new Assembler().add(ldxw(R0, R1, 12), exit()).build().encode());
    }

    static MapSpec jumpsSpec() {
        return new MapSpec("jumps", MapType.PROG_ARRAY, 4, 4, 4, 0);
    }

    /** XDP: tail-calls jumps[0]; drops when the slot is empty. */
    static ProgramSpec xdpTailCaller() {
        Code code = new Assembler().add(
                loadMap(R2, "jumps"), mov64(R3, 0),
                call(Helper.TAIL_CALL),
                mov64(R0, XDP_DROP), exit()).build();
        return ProgramSpec.of("xdp_tail", ProgramType.XDP, encode(code, List.of("jumps")), jumpsSpec());
    }

    /** Reads r5, which nothing set: the verifier says "R5 !read_ok". */
    static ProgramSpec readsUninitialisedRegister() {
        return ProgramSpec.of("bad_uninit", ProgramType.XDP,
                new Assembler().add(mov64(R0, R5), exit()).build().encode());
    }

    /** Reads the packet without checking data_end: "invalid access to packet". */
    static ProgramSpec readsPacketUnchecked() {
        return ProgramSpec.of("bad_packet", ProgramType.XDP,
                new Assembler().add(ldxw(R2, R1, 0), ldxb(R0, R2, 0), exit()).build().encode());
    }

    /** A 64-byte Ethernet + IPv4 + UDP frame. */
    static byte[] udpFrame() {
        byte[] frame = new byte[64];
        for (int i = 0; i < 6; i++) frame[i] = (byte) 0xff;        // broadcast destination
        frame[6] = 0x02;                                             // locally administered source
        frame[12] = 0x08;                                            // EtherType IPv4
        frame[14] = 0x45;                                            // version 4, IHL 5
        frame[16] = 0; frame[17] = 50;                               // total length 50
        frame[22] = 64; frame[23] = 17;                              // TTL, UDP
        frame[26] = 10; frame[29] = 1;                               // 10.0.0.1
        frame[30] = 10; frame[33] = 2;                               // 10.0.0.2
        frame[35] = 53; frame[37] = 53;                              // ports 53 -> 53
        frame[39] = 30;                                              // UDP length
        return frame;
    }
}
