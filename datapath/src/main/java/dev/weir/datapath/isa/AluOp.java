package dev.weir.datapath.isa;

/**
 * ALU operations. RFC 9669 distinguishes some by the offset field: SDIV and SMOD are DIV and MOD
 * with offset 1, MOVSX is MOV with offset 8, 16 or 32 (the width to sign-extend from).
 */
public enum AluOp {
    ADD(0x00, 0, "add", "+="),
    SUB(0x10, 0, "sub", "-="),
    MUL(0x20, 0, "mul", "*="),
    DIV(0x30, 0, "div", "/="),
    SDIV(0x30, 1, "sdiv", "s/="),
    OR(0x40, 0, "or", "|="),
    AND(0x50, 0, "and", "&="),
    LSH(0x60, 0, "lsh", "<<="),
    RSH(0x70, 0, "rsh", ">>="),
    NEG(0x80, 0, "neg", "= -"),
    MOD(0x90, 0, "mod", "%="),
    SMOD(0x90, 1, "smod", "s%="),
    XOR(0xa0, 0, "xor", "^="),
    MOV(0xb0, 0, "mov", "="),
    MOVSX8(0xb0, 8, "movsx8", "= (s8)"),
    MOVSX16(0xb0, 16, "movsx16", "= (s16)"),
    MOVSX32(0xb0, 32, "movsx32", "= (s32)"),
    ARSH(0xc0, 0, "arsh", "s>>=");

    public final int code;
    public final int offset;
    public final String mnemonic;
    /** The C-like operator bpftool prints: r1 += r2. */
    public final String operator;

    AluOp(int code, int offset, String mnemonic, String operator) {
        this.code = code;
        this.offset = offset;
        this.mnemonic = mnemonic;
        this.operator = operator;
    }

    public boolean isSignExtendingMove() {
        return code == 0xb0 && offset != 0;
    }

    /** The operation for an opcode's operation bits and offset field, or null if there is none. */
    public static AluOp of(int code, int offset) {
        for (AluOp op : values()) {
            if (op.code == code && op.offset == offset) return op;
        }
        return null;
    }
}
