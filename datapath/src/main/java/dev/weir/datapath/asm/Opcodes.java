package dev.weir.datapath.asm;

import static dev.weir.datapath.isa.OpClass.*;

import dev.weir.datapath.isa.Instruction;
import dev.weir.datapath.isa.Instruction.*;
import dev.weir.datapath.isa.Register;
import dev.weir.datapath.isa.Size;
import dev.weir.datapath.isa.Source;

/**
 * The opcode byte an instruction encodes to. Computed from the instruction alone so symbolic code
 * (unresolved labels and map names) can be disassembled without encoding it.
 */
final class Opcodes {
    private Opcodes() {}

    static int of(Instruction insn) {
        return switch (insn) {
            case Alu(var op, boolean wide, var dst, var src) -> op.code | source(src) | (wide ? ALU64 : ALU);
            case Endian(ByteSwap kind, int bits, var dst) -> switch (kind) {
                case TO_LE -> END | K | ALU;
                case TO_BE -> END | X | ALU;
                case BSWAP -> END | K | ALU64;
            };
            case Jump(var op, boolean wide, var dst, var src, var target) -> op.code | source(src) | (wide ? JMP : JMP32);
            case Goto(var target, boolean ja32) -> JA | (ja32 ? JMP32 : JMP);
            case CallHelper c -> CALL | JMP;
            case CallLocal c -> CALL | JMP;
            case CallKfunc c -> CALL | JMP;
            case CallRegister c -> CALL | X | JMP;
            case Exit e -> EXIT | JMP;
            case LoadImm64 l -> LD | MODE_IMM | Size.DW.code;
            case Load(Size size, var dst, var base, short offset, boolean signExtend) ->
                LDX | (signExtend ? MODE_MEMSX : MODE_MEM) | size.code;
            case Store(Size size, var base, short offset, var value) ->
                (value instanceof Register ? STX : ST) | MODE_MEM | size.code;
            case Atomic(var op, Size size, var base, short offset, var value) -> STX | MODE_ATOMIC | size.code;
            case PacketLoad(Size size, Register index, int offset) -> LD | (index == null ? MODE_ABS : MODE_IND) | size.code;
        };
    }

    private static int source(Source src) {
        return src instanceof Register ? X : K;
    }
}
