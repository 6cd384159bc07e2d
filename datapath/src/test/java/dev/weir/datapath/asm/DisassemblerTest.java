package dev.weir.datapath.asm;

import static dev.weir.datapath.asm.Asm.*;
import static dev.weir.datapath.isa.Register.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.datapath.isa.*;
import dev.weir.datapath.isa.Instruction.*;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DisassemblerTest {

    static Stream<Arguments> bpftoolLines() {
        return Stream.of(
                Arguments.of(mov64(R6, R1), "(bf) r6 = r1"),
                Arguments.of(mov64(R0, -1), "(b7) r0 = -1"),
                Arguments.of(add32(R1, 2), "(04) w1 += 2"),
                Arguments.of(mov32(R1, R2), "(bc) w1 = w2"),
                Arguments.of(alu(AluOp.ARSH, false, R3, new Imm(4)), "(c4) w3 s>>= 4"),
                Arguments.of(alu(AluOp.SDIV, true, R1, R2), "(3f) r1 s/= r2"),
                Arguments.of(alu(AluOp.SMOD, false, R1, new Imm(3)), "(94) w1 s%= 3"),
                Arguments.of(neg64(R1), "(87) r1 = -r1"),
                Arguments.of(alu(AluOp.NEG, false, R1, new Imm(0)), "(84) w1 = -w1"),
                Arguments.of(alu(AluOp.MOVSX8, true, R1, R2), "(bf) r1 = (s8)r2"),
                Arguments.of(alu(AluOp.MOVSX16, false, R1, R2), "(bc) w1 = (s16)w2"),
                Arguments.of(be16(R1), "(dc) r1 = be16 r1"),
                Arguments.of(new Endian(ByteSwap.TO_LE, 32, R1), "(d4) r1 = le32 r1"),
                Arguments.of(bswap(64, R1), "(d7) r1 = bswap64 r1"),
                Arguments.of(lddw(R0, 0x1122334455667788L), "(18) r0 = 0x1122334455667788"),
                Arguments.of(lddw(R0, -1), "(18) r0 = 0xffffffffffffffff"),
                Arguments.of(loadMap(R1, "flows"), "(18) r1 = map[flows]"),
                Arguments.of(loadMapValue(R1, "config", 8), "(18) r1 = map[config][0]+8"),
                Arguments.of(new LoadImm64(R1, new Imm64.Map(new MapRef.Fd(5))), "(18) r1 = map[fd:5]"),
                Arguments.of(new LoadImm64(R1, new Imm64.MapValue(new MapRef.Index(2), 4)), "(18) r1 = map[idx:2]+4"),
                Arguments.of(new LoadImm64(R1, new Imm64.Function(Target.relative(3))), "(18) r1 = subprog[+3]"),
                Arguments.of(ldxw(R2, R1, 4), "(61) r2 = *(u32 *)(r1 +4)"),
                Arguments.of(new Load(Size.B, R2, R1, (short) -1, true), "(91) r2 = *(s8 *)(r1 -1)"),
                Arguments.of(stxdw(R10, -8, R1), "(7b) *(u64 *)(r10 -8) = r1"),
                Arguments.of(stw(R10, -4, 7), "(62) *(u32 *)(r10 -4) = 7"),
                Arguments.of(new Jump(JumpOp.JEQ, true, R2, new Imm(0), Target.relative(3)), "(15) if r2 == 0x0 goto pc+3"),
                Arguments.of(new Jump(JumpOp.JSLT, true, R2, new Imm(-1), Target.relative(0)),
                        "(c5) if r2 s< 0xffffffff goto pc+0"),
                Arguments.of(new Jump(JumpOp.JNE, false, R1, R0, Target.relative(-5)), "(5e) if w1 != w0 goto pc-5"),
                Arguments.of(new Jump(JumpOp.JSET, false, R1, new Imm(0x10), Target.relative(1)), "(46) if w1 & 0x10 goto pc+1"),
                Arguments.of(new Goto(Target.relative(-1), false), "(05) goto pc-1"),
                Arguments.of(new Goto(Target.relative(70000), true), "(06) gotol pc+70000"),
                Arguments.of(ja("done"), "(05) goto <done>"),
                Arguments.of(call(Helper.MAP_LOOKUP_ELEM), "(85) call bpf_map_lookup_elem#1"),
                Arguments.of(new CallHelper(999), "(85) call unknown#999"),
                Arguments.of(new CallLocal(Target.relative(2)), "(85) call pc+2"),
                Arguments.of(new CallKfunc(1234, (short) 0), "(85) call kernel-function#1234"),
                Arguments.of(new CallRegister(R2), "(8d) callx r2"),
                Arguments.of(exit(), "(95) exit"),
                Arguments.of(atomicAdd64(R10, -8, R1), "(db) lock *(u64 *)(r10 -8) += r1"),
                Arguments.of(new Atomic(AtomicOp.XOR, Size.W, R1, (short) 0, R2), "(c3) lock *(u32 *)(r1 +0) ^= r2"),
                Arguments.of(new Atomic(AtomicOp.FETCH_ADD, Size.W, R10, (short) -8, R1),
                        "(c3) r1 = atomic_fetch_add((u32 *)(r10 -8), r1)"),
                Arguments.of(new Atomic(AtomicOp.FETCH_OR, Size.DW, R10, (short) -8, R1),
                        "(db) r1 = atomic64_fetch_or((u64 *)(r10 -8), r1)"),
                Arguments.of(new Atomic(AtomicOp.XCHG, Size.DW, R10, (short) -8, R1),
                        "(db) r1 = atomic64_xchg((u64 *)(r10 -8), r1)"),
                Arguments.of(new Atomic(AtomicOp.CMPXCHG, Size.W, R10, (short) -8, R1),
                        "(c3) r0 = atomic_cmpxchg((u32 *)(r10 -8), r0, r1)"),
                Arguments.of(new PacketLoad(Size.B, null, 12), "(30) r0 = *(u8 *)skb[12]"),
                Arguments.of(new PacketLoad(Size.H, R3, 2), "(48) r0 = *(u16 *)skb[r3 + 2]"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("bpftoolLines")
    void formatsLikeBpftool(Instruction insn, String expected) {
        assertThat(Disassembler.format(insn)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("bpftoolLines")
    void printsTheOpcodeTheInstructionEncodesTo(Instruction insn, String line) {
        if (JumpTargets.targetOf(insn) instanceof Target.Label) return; // cannot encode alone
        Bytecode bytes = Code.of(List.of(insn)).encode(name -> new MapRef.Fd(3));
        assertThat(line).startsWith(String.format("(%02x)", bytes.opcode(0)));
    }

    private static Code program() {
        return new Assembler()
                .add(mov64(R6, R1), ldxw(R2, R1, 4), jeq(R2, 0, "out"))
                .add(loadMap(R1, "flows"), call(Helper.MAP_LOOKUP_ELEM), add32(R0, 2))
                .label("out")
                .add(exit())
                .build();
    }

    @Test
    void listsCodeWithSlotIndexes() {
        assertThat(Disassembler.disassemble(program())).isEqualTo("""
                   0: (bf) r6 = r1
                   1: (61) r2 = *(u32 *)(r1 +4)
                   2: (15) if r2 == 0x0 goto pc+4
                   3: (18) r1 = map[flows]
                   5: (85) call bpf_map_lookup_elem#1
                   6: (04) w0 += 2
                   7: (95) exit
                """);
        assertThat(Disassembler.lines(program())).hasSize(7).startsWith("   0: (bf) r6 = r1");
    }

    @Test
    void listsLabelsWhenAsked() {
        Code decoded = Encoding.decode(program().encode(name -> new MapRef.Fd(7)));
        assertThat(Disassembler.disassemble(decoded, true)).isEqualTo("""
                   0: (bf) r6 = r1
                   1: (61) r2 = *(u32 *)(r1 +4)
                   2: (15) if r2 == 0x0 goto pc+4 <L7>
                   3: (18) r1 = map[fd:7]
                   5: (85) call bpf_map_lookup_elem#1
                   6: (04) w0 += 2
                L7:
                   7: (95) exit
                """);
        assertThat(Disassembler.disassemble(program(), true)).contains("goto pc+4 <out>\n", "out:\n   7: (95) exit");
    }

    @Test
    void disassemblesBytecode() {
        Bytecode bytes = Bytecode.ofSlots(0x00000001000000b7L, 0x0000000000000095L);
        assertThat(Disassembler.disassemble(bytes)).isEqualTo("   0: (b7) r0 = 1\n   1: (95) exit\n");
        assertThat(Disassembler.toAssembly(bytes)).isEqualTo("mov %r0, 1\nexit\n");
    }

    @Test
    void writesTheCorpusSyntaxWithLabels() {
        Code code = TextAssembler.parse("""
                mov32 %r0, 0xffffffff
                jsgt32 %r1, %r2, +1
                ja -1
                lock fetch add32 [%r10-8], %r1
                ldxsh %r3, [%r1]
                movsx1664 %r3, %r4
                call local f
                exit
                f:
                exit
                """);
        assertThat(Disassembler.toAssembly(code)).isEqualTo("""
                mov32 %r0, -1
                jsgt32 %r1, %r2, L3
                L2:
                ja L2
                L3:
                lock fetch add32 [%r10-8], %r1
                ldxsh %r3, [%r1]
                movsx1664 %r3, %r4
                call local f
                exit
                f:
                exit
                """);
    }

    @Test
    void keepsOffsetsThatLandNowhere() {
        Code code = TextAssembler.parse("ja +1\nlddw %r0, 1\nja +5\nexit");
        assertThat(Disassembler.toAssembly(code)).isEqualTo("ja +1\nlddw %r0, 0x1\nja +5\nexit\n");
    }

    @Test
    void writesWeirPseudoImmediatesSoTheyReadBack() {
        Code code = new Assembler()
                .add(loadMap(R1, "flows"), loadMapValue(R2, "config", -4))
                .add(new LoadImm64(R3, new Imm64.Map(new MapRef.Fd(3))))
                .add(new LoadImm64(R3, new Imm64.MapValue(new MapRef.Index(1), 16)))
                .add(new LoadImm64(R4, new Imm64.BtfId(77, 0)))
                .add(new LoadImm64(R5, new Imm64.Function(Target.label("cb"))))
                .add(new CallKfunc(42, (short) 1), new PacketLoad(Size.W, null, 14), new PacketLoad(Size.B, R2, 1))
                .add(new Store(Size.H, R10, (short) -2, new Imm(-7)), exit())
                .label("cb")
                .add(exit())
                .build();
        String text = Disassembler.toAssembly(code);
        assertThat(text).contains("lddw %r1, map[flows]", "lddw %r2, map_value[config]-4", "lddw %r3, map[fd:3]",
                "lddw %r3, map_value[idx:1]+16", "lddw %r4, btf_id[77:0]", "lddw %r5, subprog[cb]",
                "call kfunc 42, 1", "ldabsw 14", "ldindb %r2, 1", "sth [%r10-2], -7");
        Code back = TextAssembler.parse(text);
        assertThat(back.instructions()).containsExactlyElementsOf(code.instructions());
        assertThat(back.labels()).isEqualTo(Map.of("cb", 11));
    }

    @Test
    void refusesMapNamesTheSyntaxCannotHold() {
        Code code = Code.of(List.of(new LoadImm64(R1, new Imm64.Map(MapRef.named("two words")))));
        assertThatThrownBy(() -> Disassembler.toAssembly(code)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two words");
        assertThat(Disassembler.format(code.instructions().getFirst())).isEqualTo("(18) r1 = map[two words]");
    }

    @Test
    void synthesizedLabelsDoNotClashWithExistingOnes() {
        Map<String, Integer> labels = new LinkedHashMap<>();
        labels.put("L1_", 0);
        labels.put("L1", 0);
        Code code = new Code(List.of(new Goto(Target.relative(0), false), exit()), labels);
        assertThat(Disassembler.toAssembly(code)).isEqualTo("L1_:\nL1:\nja L1__\nL1__:\nexit\n");
        assertThat(TextAssembler.assemble(Disassembler.toAssembly(code))).isEqualTo(code.encode());
    }
}
