package dev.weir.datapath.asm;

import dev.weir.datapath.isa.*;
import dev.weir.datapath.isa.Instruction.*;

/**
 * Instructions built by operation, in the spirit of cilium/ebpf's asm package:
 * {@code mov64(R0, 0)}, {@code jeq(R1, 0, "drop")}, {@code ldxw(R2, R1, 4)}, {@code call(Helper.MAP_LOOKUP_ELEM)}.
 * Jumps take label names, resolved when the {@link Assembler}'s code is encoded.
 */
public final class Asm {
    private Asm() {}

    // ALU, 64-bit
    public static Alu add64(Register dst, Register src) { return alu(AluOp.ADD, true, dst, src); }
    public static Alu add64(Register dst, int imm) { return alu(AluOp.ADD, true, dst, new Imm(imm)); }
    public static Alu sub64(Register dst, Register src) { return alu(AluOp.SUB, true, dst, src); }
    public static Alu sub64(Register dst, int imm) { return alu(AluOp.SUB, true, dst, new Imm(imm)); }
    public static Alu mul64(Register dst, int imm) { return alu(AluOp.MUL, true, dst, new Imm(imm)); }
    public static Alu mul64(Register dst, Register src) { return alu(AluOp.MUL, true, dst, src); }
    public static Alu mod64(Register dst, int imm) { return alu(AluOp.MOD, true, dst, new Imm(imm)); }
    public static Alu and64(Register dst, Register src) { return alu(AluOp.AND, true, dst, src); }
    public static Alu and64(Register dst, int imm) { return alu(AluOp.AND, true, dst, new Imm(imm)); }
    public static Alu or64(Register dst, Register src) { return alu(AluOp.OR, true, dst, src); }
    public static Alu or64(Register dst, int imm) { return alu(AluOp.OR, true, dst, new Imm(imm)); }
    public static Alu xor64(Register dst, Register src) { return alu(AluOp.XOR, true, dst, src); }
    public static Alu xor64(Register dst, int imm) { return alu(AluOp.XOR, true, dst, new Imm(imm)); }
    public static Alu rsh64(Register dst, Register src) { return alu(AluOp.RSH, true, dst, src); }
    public static Alu lsh64(Register dst, int imm) { return alu(AluOp.LSH, true, dst, new Imm(imm)); }
    public static Alu rsh64(Register dst, int imm) { return alu(AluOp.RSH, true, dst, new Imm(imm)); }
    public static Alu arsh64(Register dst, int imm) { return alu(AluOp.ARSH, true, dst, new Imm(imm)); }
    public static Alu neg64(Register dst) { return alu(AluOp.NEG, true, dst, new Imm(0)); }
    public static Alu mov64(Register dst, Register src) { return alu(AluOp.MOV, true, dst, src); }
    public static Alu mov64(Register dst, int imm) { return alu(AluOp.MOV, true, dst, new Imm(imm)); }

    // ALU, 32-bit (the upper half of dst becomes zero)
    public static Alu add32(Register dst, Register src) { return alu(AluOp.ADD, false, dst, src); }
    public static Alu add32(Register dst, int imm) { return alu(AluOp.ADD, false, dst, new Imm(imm)); }
    public static Alu and32(Register dst, int imm) { return alu(AluOp.AND, false, dst, new Imm(imm)); }
    public static Alu lsh32(Register dst, int imm) { return alu(AluOp.LSH, false, dst, new Imm(imm)); }
    public static Alu rsh32(Register dst, int imm) { return alu(AluOp.RSH, false, dst, new Imm(imm)); }
    public static Alu mov32(Register dst, Register src) { return alu(AluOp.MOV, false, dst, src); }
    public static Alu mov32(Register dst, int imm) { return alu(AluOp.MOV, false, dst, new Imm(imm)); }

    public static Alu alu(AluOp op, boolean wide, Register dst, Source src) {
        return new Alu(op, wide, dst, src);
    }

    // Byte order
    public static Endian be16(Register dst) { return new Endian(ByteSwap.TO_BE, 16, dst); }
    public static Endian be32(Register dst) { return new Endian(ByteSwap.TO_BE, 32, dst); }
    public static Endian be64(Register dst) { return new Endian(ByteSwap.TO_BE, 64, dst); }
    public static Endian bswap(int bits, Register dst) { return new Endian(ByteSwap.BSWAP, bits, dst); }

    // Jumps
    public static Goto ja(String label) { return new Goto(Target.label(label), false); }
    public static Jump jeq(Register dst, int imm, String label) { return jump(JumpOp.JEQ, dst, new Imm(imm), label); }
    public static Jump jeq(Register dst, Register src, String label) { return jump(JumpOp.JEQ, dst, src, label); }
    public static Jump jne(Register dst, int imm, String label) { return jump(JumpOp.JNE, dst, new Imm(imm), label); }
    public static Jump jne(Register dst, Register src, String label) { return jump(JumpOp.JNE, dst, src, label); }
    public static Jump jgt(Register dst, int imm, String label) { return jump(JumpOp.JGT, dst, new Imm(imm), label); }
    public static Jump jgt(Register dst, Register src, String label) { return jump(JumpOp.JGT, dst, src, label); }
    public static Jump jge(Register dst, int imm, String label) { return jump(JumpOp.JGE, dst, new Imm(imm), label); }
    public static Jump jlt(Register dst, int imm, String label) { return jump(JumpOp.JLT, dst, new Imm(imm), label); }
    public static Jump jle(Register dst, int imm, String label) { return jump(JumpOp.JLE, dst, new Imm(imm), label); }
    public static Jump jset(Register dst, int imm, String label) { return jump(JumpOp.JSET, dst, new Imm(imm), label); }

    public static Jump jump(JumpOp op, Register dst, Source src, String label) {
        return new Jump(op, true, dst, src, Target.label(label));
    }

    public static Jump jump32(JumpOp op, Register dst, Source src, String label) {
        return new Jump(op, false, dst, src, Target.label(label));
    }

    // Calls and exit
    public static CallHelper call(Helper helper) { return new CallHelper(helper.id); }
    public static CallLocal callLocal(String label) { return new CallLocal(Target.label(label)); }
    public static Exit exit() { return new Exit(); }

    // 64-bit immediates and map references
    public static LoadImm64 lddw(Register dst, long value) { return new LoadImm64(dst, new Imm64.Constant(value)); }
    public static LoadImm64 loadMap(Register dst, String map) { return new LoadImm64(dst, new Imm64.Map(MapRef.named(map))); }
    public static LoadImm64 loadMapValue(Register dst, String map, int offset) {
        return new LoadImm64(dst, new Imm64.MapValue(MapRef.named(map), offset));
    }

    // Memory
    public static Load ldxb(Register dst, Register base, int off) { return load(Size.B, dst, base, off); }
    public static Load ldxh(Register dst, Register base, int off) { return load(Size.H, dst, base, off); }
    public static Load ldxw(Register dst, Register base, int off) { return load(Size.W, dst, base, off); }
    public static Load ldxdw(Register dst, Register base, int off) { return load(Size.DW, dst, base, off); }

    public static Load load(Size size, Register dst, Register base, int off) {
        return new Load(size, dst, base, offset(off), false);
    }

    public static Store stxb(Register base, int off, Register src) { return store(Size.B, base, off, src); }
    public static Store stxh(Register base, int off, Register src) { return store(Size.H, base, off, src); }
    public static Store stxw(Register base, int off, Register src) { return store(Size.W, base, off, src); }
    public static Store stxdw(Register base, int off, Register src) { return store(Size.DW, base, off, src); }
    public static Store stb(Register base, int off, int imm) { return store(Size.B, base, off, new Imm(imm)); }
    public static Store sth(Register base, int off, int imm) { return store(Size.H, base, off, new Imm(imm)); }
    public static Store stw(Register base, int off, int imm) { return store(Size.W, base, off, new Imm(imm)); }
    public static Store stdw(Register base, int off, int imm) { return store(Size.DW, base, off, new Imm(imm)); }

    public static Store store(Size size, Register base, int off, Source value) {
        return new Store(size, base, offset(off), value);
    }

    public static Atomic atomicAdd64(Register base, int off, Register value) {
        return new Atomic(AtomicOp.ADD, Size.DW, base, offset(off), value);
    }

    /** {@code lock *(u32 *)(base + off) |= value}. */
    public static Atomic atomicOr32(Register base, int off, Register value) {
        return new Atomic(AtomicOp.OR, Size.W, base, offset(off), value);
    }

    /** {@code lock *(u32 *)(base + off) &= value}. */
    public static Atomic atomicAnd32(Register base, int off, Register value) {
        return new Atomic(AtomicOp.AND, Size.W, base, offset(off), value);
    }

    static short offset(int off) {
        if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + off + " does not fit in 16 bits");
        }
        return (short) off;
    }
}
