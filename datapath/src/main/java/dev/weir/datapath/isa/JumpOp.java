package dev.weir.datapath.isa;

/** Conditional jump operations. Unsigned unless the name says signed (JS...). */
public enum JumpOp {
    JEQ(0x10, "jeq", "=="),
    JGT(0x20, "jgt", ">"),
    JGE(0x30, "jge", ">="),
    JSET(0x40, "jset", "&"),
    JNE(0x50, "jne", "!="),
    JSGT(0x60, "jsgt", "s>"),
    JSGE(0x70, "jsge", "s>="),
    JLT(0xa0, "jlt", "<"),
    JLE(0xb0, "jle", "<="),
    JSLT(0xc0, "jslt", "s<"),
    JSLE(0xd0, "jsle", "s<=");

    public final int code;
    public final String mnemonic;
    public final String operator;

    JumpOp(int code, String mnemonic, String operator) {
        this.code = code;
        this.mnemonic = mnemonic;
        this.operator = operator;
    }

    public static JumpOp of(int code) {
        for (JumpOp op : values()) {
            if (op.code == code) return op;
        }
        return null;
    }
}
