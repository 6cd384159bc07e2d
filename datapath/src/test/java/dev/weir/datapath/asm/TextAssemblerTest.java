package dev.weir.datapath.asm;

import static dev.weir.datapath.isa.Register.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.datapath.isa.*;
import dev.weir.datapath.isa.Instruction.*;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TextAssemblerTest {

    private static Instruction single(String line) {
        List<Instruction> insns = TextAssembler.parse(line).instructions();
        assertThat(insns).hasSize(1);
        return insns.getFirst();
    }

    static Stream<Arguments> everyForm() {
        Target done = Target.label("done");
        return Stream.of(
                Arguments.of("add %r1, 2", new Alu(AluOp.ADD, true, R1, new Imm(2))),
                Arguments.of("add64 %r1, %r2", new Alu(AluOp.ADD, true, R1, R2)),
                Arguments.of("add32 %r1, -3", new Alu(AluOp.ADD, false, R1, new Imm(-3))),
                Arguments.of("sdiv32 %r1, %r2", new Alu(AluOp.SDIV, false, R1, R2)),
                Arguments.of("smod %r1, 7", new Alu(AluOp.SMOD, true, R1, new Imm(7))),
                Arguments.of("arsh %r1, 0x20", new Alu(AluOp.ARSH, true, R1, new Imm(32))),
                Arguments.of("neg %r3", new Alu(AluOp.NEG, true, R3, new Imm(0))),
                Arguments.of("neg32 %r3", new Alu(AluOp.NEG, false, R3, new Imm(0))),
                Arguments.of("mov32 %r0, 0xffffffff", new Alu(AluOp.MOV, false, R0, new Imm(-1))),
                Arguments.of("movsx832 %r0, %r1", new Alu(AluOp.MOVSX8, false, R0, R1)),
                Arguments.of("movsx864 %r0, %r1", new Alu(AluOp.MOVSX8, true, R0, R1)),
                Arguments.of("movsx1632 %r0, %r1", new Alu(AluOp.MOVSX16, false, R0, R1)),
                Arguments.of("movsx1664 %r0, %r1", new Alu(AluOp.MOVSX16, true, R0, R1)),
                Arguments.of("movsx3264 %r0, %r1", new Alu(AluOp.MOVSX32, true, R0, R1)),
                Arguments.of("le16 %r1", new Endian(ByteSwap.TO_LE, 16, R1)),
                Arguments.of("be64 %r1", new Endian(ByteSwap.TO_BE, 64, R1)),
                Arguments.of("bswap32 %r1", new Endian(ByteSwap.BSWAP, 32, R1)),
                Arguments.of("swap16 %r1", new Endian(ByteSwap.BSWAP, 16, R1)),
                Arguments.of("ldxb %r0, [%r1]", new Load(Size.B, R0, R1, (short) 0, false)),
                Arguments.of("ldxh %r0, [%r1+12]", new Load(Size.H, R0, R1, (short) 12, false)),
                Arguments.of("ldxw %r0, [%r1+0x10]", new Load(Size.W, R0, R1, (short) 16, false)),
                Arguments.of("ldxdw %r0, [%r10-8]", new Load(Size.DW, R0, R10, (short) -8, false)),
                Arguments.of("ldxsb %r0, [%r1+1]", new Load(Size.B, R0, R1, (short) 1, true)),
                Arguments.of("ldxsh %r0, [%r1]", new Load(Size.H, R0, R1, (short) 0, true)),
                Arguments.of("ldxsw %r0, [%r1-32768]", new Load(Size.W, R0, R1, Short.MIN_VALUE, true)),
                Arguments.of("stb [%r10-1], 0x7f", new Store(Size.B, R10, (short) -1, new Imm(0x7f))),
                Arguments.of("sth [%r1+32767], -1", new Store(Size.H, R1, Short.MAX_VALUE, new Imm(-1))),
                Arguments.of("stw [%r1], 5", new Store(Size.W, R1, (short) 0, new Imm(5))),
                Arguments.of("stdw [%r1+8], 5", new Store(Size.DW, R1, (short) 8, new Imm(5))),
                Arguments.of("stxb [%r1], %r2", new Store(Size.B, R1, (short) 0, R2)),
                Arguments.of("stxdw [%r10-16], %r2", new Store(Size.DW, R10, (short) -16, R2)),
                Arguments.of("lddw %r0, 0xFFFFFFFF80000000", new LoadImm64(R0, new Imm64.Constant(0xFFFFFFFF80000000L))),
                Arguments.of("lddw %r0, 2147483648", new LoadImm64(R0, new Imm64.Constant(2147483648L))),
                Arguments.of("lddw %r0, -1", new LoadImm64(R0, new Imm64.Constant(-1))),
                Arguments.of("lddw %r0, 18446744073709551615", new LoadImm64(R0, new Imm64.Constant(-1))),
                Arguments.of("ja +1", new Goto(Target.relative(1), false)),
                Arguments.of("ja -32768", new Goto(Target.relative(-32768), false)),
                Arguments.of("ja32 +100000", new Goto(Target.relative(100000), true)),
                Arguments.of("jeq %r1, 0x33, +1", new Jump(JumpOp.JEQ, true, R1, new Imm(0x33), Target.relative(1))),
                Arguments.of("jsge32 %r1, %r2, -3", new Jump(JumpOp.JSGE, false, R1, R2, Target.relative(-3))),
                Arguments.of("jset %r1, -1, done", new Jump(JumpOp.JSET, true, R1, new Imm(-1), done)),
                Arguments.of("call 1", new CallHelper(1)),
                Arguments.of("call 0x4", new CallHelper(4)),
                Arguments.of("call local done", new CallLocal(done)),
                Arguments.of("call local +3", new CallLocal(Target.relative(3))),
                Arguments.of("call %r2", new CallRegister(R2)),
                Arguments.of("callx %r3", new CallRegister(R3)),
                Arguments.of("exit", new Exit()),
                Arguments.of("lock add [%r10-8], %r1", new Atomic(AtomicOp.ADD, Size.DW, R10, (short) -8, R1)),
                Arguments.of("lock or32 [%r1], %r2", new Atomic(AtomicOp.OR, Size.W, R1, (short) 0, R2)),
                Arguments.of("lock fetch xor32 [%r1+4], %r2", new Atomic(AtomicOp.FETCH_XOR, Size.W, R1, (short) 4, R2)),
                Arguments.of("lock fetch and [%r1], %r2", new Atomic(AtomicOp.FETCH_AND, Size.DW, R1, (short) 0, R2)),
                Arguments.of("lock xchg [%r10-8], %r1", new Atomic(AtomicOp.XCHG, Size.DW, R10, (short) -8, R1)),
                Arguments.of("lock cmpxchg32 [%r10-8], %r1", new Atomic(AtomicOp.CMPXCHG, Size.W, R10, (short) -8, R1)),
                Arguments.of("ldabsb 12", new PacketLoad(Size.B, null, 12)),
                Arguments.of("ldabsw 0x10", new PacketLoad(Size.W, null, 16)),
                Arguments.of("ldindh %r3, 2", new PacketLoad(Size.H, R3, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyForm")
    void parsesEveryForm(String line, Instruction expected) {
        assertThat(TextAssembler.parse(line + "\ndone:").instructions()).containsExactly(expected);
    }

    @Test
    void encodesAsTheCorpusRawSectionsDo() {
        // ubpf/jmp.data and bpf-conformance/lddw.data, a few of their lines
        Bytecode code = TextAssembler.assemble("""
                jeq %r1, 0x33, +1
                ja -32768
                lddw %r0, 0x1122334455667788
                call 0x1
                exit
                """);
        assertThat(code).isEqualTo(Bytecode.ofSlots(0x0000003300010115L, 0x0000000080000005L,
                0x5566778800000018L, 0x1122334400000000L, 0x0000000100000085L, 0x0000000000000095L));
    }

    @Test
    void ignoresCommentsBlankLinesAndIndentation() {
        Code code = TextAssembler.parse("""
                # a header comment

                    mov %r0, 1   # trailing comment
                \texit#no space
                """);
        assertThat(code.instructions()).containsExactly(Asm.mov64(R0, 1), Asm.exit());
    }

    @Test
    void bindsLabelsToTheNextInstruction() {
        Code code = TextAssembler.parse("""
                jeq %r1, 0, skip
                mov %r0, 1
                skip:
                also: exit
                end:
                """);
        assertThat(code.labels()).containsExactly(Map.entry("skip", 2), Map.entry("also", 2), Map.entry("end", 3));
        assertThat(TextAssembler.parse("a:\nb: exit\n").labels()).isEqualTo(Map.of("a", 0, "b", 0));
        assertThat(code.encode()).isEqualTo(Bytecode.ofSlots(0x0000000000010115L, 0x00000001000000b7L, 0x95L));
    }

    @Test
    void labelMayCloseTheProgram() {
        Code code = TextAssembler.parse("ja end\nexit\nend:");
        assertThat(code.labels()).isEqualTo(Map.of("end", 2));
        assertThat(code.encode()).isEqualTo(Bytecode.ofSlots(0x0000000000010005L, 0x95L));
    }

    @Test
    void undefinedExitLabelMeansTheFirstExitInstruction() {
        Code code = TextAssembler.parse("""
                jne %r1, %r2, exit
                mov %r0, 1
                exit
                mov %r0, 2
                exit
                """);
        assertThat(code.labels()).isEqualTo(Map.of("exit", 2));
        assertThat(code.encode().offset(0)).isEqualTo((short) 1);
    }

    @Test
    void anExplicitExitLabelWins() {
        Code code = TextAssembler.parse("""
                ja exit
                exit
                exit:
                mov %r0, 2
                exit
                """);
        assertThat(code.labels()).isEqualTo(Map.of("exit", 2));
        assertThat(TextAssembler.parse("exit").labels()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            mov32 %r0, 2147483647  | 2147483647
            mov32 %r0, -2147483648 | -2147483648
            mov32 %r0, 0xffffffff  | -1
            mov32 %r0, 0x80000000  | -2147483648
            mov32 %r0, -0x80000000 | -2147483648
            mov32 %r0, 0XaBc       | 2748
            """)
    void acceptsEveryThirtyTwoBitImmediate(String line, int expected) {
        assertThat(single(line)).isEqualTo(Asm.mov32(R0, expected));
    }

    @Test
    void mayBeNamedAndNumberedFromALaterLine() {
        Code code = TextAssembler.parse("mov %r0, 1\nexit", "prog.asm", 10);
        assertThat(code.instructions()).hasSize(2);
    }

    @Test
    void keepsSymbolicMapsForTheCallerToResolve() {
        Code code = TextAssembler.parse("lddw %r1, map[flows]\nlddw %r2, map_value[config]+8\nexit");
        assertThat(code.instructions()).startsWith(Asm.loadMap(R1, "flows"), Asm.loadMapValue(R2, "config", 8));
        Bytecode bytes = code.encode(name -> new MapRef.Fd(name.equals("flows") ? 3 : 4));
        assertThat(bytes.src(0)).isEqualTo(Imm64.SRC_MAP_FD);
        assertThat(bytes.imm(0)).isEqualTo(3);
        assertThat(bytes.imm(3)).isEqualTo(8);
    }

    @Test
    void readsTheOtherPseudoImmediates() {
        Code code = TextAssembler.parse("""
                lddw %r1, map[fd:3]
                lddw %r1, map[idx:0]
                lddw %r1, map_value[idx:2]-4
                lddw %r1, btf_id[77:5]
                lddw %r1, subprog[f]
                call kfunc 99, 2
                f:
                exit
                """);
        assertThat(code.instructions()).containsExactly(
                new LoadImm64(R1, new Imm64.Map(new MapRef.Fd(3))),
                new LoadImm64(R1, new Imm64.Map(new MapRef.Index(0))),
                new LoadImm64(R1, new Imm64.MapValue(new MapRef.Index(2), -4)),
                new LoadImm64(R1, new Imm64.BtfId(77, 5)),
                new LoadImm64(R1, new Imm64.Function(Target.label("f"))),
                new CallKfunc(99, (short) 2),
                new Exit());
    }
}
