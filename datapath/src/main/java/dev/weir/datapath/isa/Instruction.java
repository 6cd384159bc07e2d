package dev.weir.datapath.isa;

/**
 * One eBPF instruction of RFC 9669, as an immutable value. Jump and call targets are
 * {@link Target}s: symbolic labels while code is being built, relative offsets once decoded.
 * Build them with the helpers in {@code dev.weir.datapath.asm.Asm}; {@link Encoding} turns them
 * into the kernel's 8-byte little-endian slots and back.
 */
public sealed interface Instruction {

    /** Number of 8-byte slots this instruction occupies: 2 for a 64-bit immediate load, else 1. */
    default int slots() {
        return 1;
    }

    /** dst = dst OP src, in 64 bits ({@code wide}) or 32 bits (upper half zeroed). */
    record Alu(AluOp op, boolean wide, Register dst, Source src) implements Instruction {
        public Alu {
            if (op == AluOp.NEG && !src.equals(new Imm(0))) {
                throw new IllegalArgumentException("neg takes no source operand");
            }
            if (op.isSignExtendingMove() && !(src instanceof Register)) {
                throw new IllegalArgumentException(op.mnemonic + " needs a source register");
            }
            if (op == AluOp.MOVSX32 && !wide) {
                throw new IllegalArgumentException("movsx32 exists only in 64-bit form");
            }
        }
    }

    /** Byte-order conversion of the low {@code bits} of dst (16, 32 or 64). */
    record Endian(ByteSwap kind, int bits, Register dst) implements Instruction {
        public Endian {
            if (bits != 16 && bits != 32 && bits != 64) {
                throw new IllegalArgumentException("byte swap width must be 16, 32 or 64, not " + bits);
            }
        }
    }

    enum ByteSwap {
        /** Host (little-endian here) to little-endian: truncation to the width. */
        TO_LE,
        /** To big-endian: a swap on little-endian hosts. */
        TO_BE,
        /** Unconditional swap (ALU64 class, v4). */
        BSWAP
    }

    /** if (dst OP src) goto target; {@code wide} compares 64 bits, else the low 32 (JMP32 class). */
    record Jump(JumpOp op, boolean wide, Register dst, Source src, Target target) implements Instruction {}

    /** Unconditional jump. {@code ja32} is the JMP32-class form with a 32-bit offset in the immediate. */
    record Goto(Target target, boolean ja32) implements Instruction {}

    /** Call of a kernel helper by number. */
    record CallHelper(int id) implements Instruction {}

    /** bpf-to-bpf call of a local function. */
    record CallLocal(Target target) implements Instruction {}

    /** Call of a kernel function by BTF id; {@code moduleOffset} indexes fd_array for module BTF. */
    record CallKfunc(int btfId, short moduleOffset) implements Instruction {}

    /** callx: call the helper whose number is in a register (RFC 9669 "callx" group). */
    record CallRegister(Register register) implements Instruction {}

    /** Return from the current function, or from the program with R0 as its result. */
    record Exit() implements Instruction {}

    /** dst = a 64-bit immediate, map pointer, map value address, ... (two slots). */
    record LoadImm64(Register dst, Imm64 value) implements Instruction {
        @Override
        public int slots() {
            return 2;
        }
    }

    /** dst = *(size *)(base + offset), zero- or sign-extended. */
    record Load(Size size, Register dst, Register base, short offset, boolean signExtend) implements Instruction {
        public Load {
            if (signExtend && size == Size.DW) throw new IllegalArgumentException("no sign-extending 64-bit load");
        }
    }

    /** *(size *)(base + offset) = value (register: STX class, immediate: ST class). */
    record Store(Size size, Register base, short offset, Source value) implements Instruction {}

    /** Atomic read-modify-write of *(size *)(base + offset) with a register operand. */
    record Atomic(AtomicOp op, Size size, Register base, short offset, Register value) implements Instruction {
        public Atomic {
            if (size != Size.W && size != Size.DW) {
                throw new IllegalArgumentException("atomic operations are 32 or 64 bits wide, not " + size);
            }
        }
    }

    /**
     * Legacy packet load (LD_ABS / LD_IND): r0 = ntoh(*(size *)(skb->data + [index +] offset)).
     * {@code index} is null for the absolute form.
     */
    record PacketLoad(Size size, Register index, int offset) implements Instruction {
        public PacketLoad {
            if (size == Size.DW) throw new IllegalArgumentException("no 64-bit legacy packet load");
        }
    }
}
