package dev.weir.datapath.isa;

/** The instruction classes: the low three bits of every opcode. */
public final class OpClass {
    public static final int LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, JMP32 = 0x06,
            ALU64 = 0x07;

    /** Source bit of ALU and jump opcodes: immediate (K) or register (X). */
    public static final int K = 0x00, X = 0x08;

    /** Mode field (bits 5-7) of load and store opcodes. */
    public static final int MODE_IMM = 0x00, MODE_ABS = 0x20, MODE_IND = 0x40, MODE_MEM = 0x60, MODE_MEMSX = 0x80,
            MODE_ATOMIC = 0xc0;

    /** Jump-class operations without a comparison. */
    public static final int JA = 0x00, CALL = 0x80, EXIT = 0x90;

    /** ALU END operation (byte swaps). */
    public static final int END = 0xd0;

    private OpClass() {}

    public static int of(int opcode) {
        return opcode & 0x07;
    }
}
