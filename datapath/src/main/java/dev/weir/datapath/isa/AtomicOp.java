package dev.weir.datapath.isa;

/** Atomic read-modify-write operations, encoded in the immediate of an ATOMIC-mode STX. */
public enum AtomicOp {
    ADD(0x00, "add"), OR(0x40, "or"), AND(0x50, "and"), XOR(0xa0, "xor"),
    FETCH_ADD(0x01, "fetch add"), FETCH_OR(0x41, "fetch or"), FETCH_AND(0x51, "fetch and"),
    FETCH_XOR(0xa1, "fetch xor"),
    XCHG(0xe1, "xchg"), CMPXCHG(0xf1, "cmpxchg");

    public static final int FETCH = 0x01;

    public final int imm;
    /** As the conformance corpus writes it after "lock". */
    public final String mnemonic;

    AtomicOp(int imm, String mnemonic) {
        this.imm = imm;
        this.mnemonic = mnemonic;
    }

    /** True if the old value is returned in the source register (or R0 for CMPXCHG). */
    public boolean fetches() {
        return (imm & FETCH) != 0;
    }

    public static AtomicOp of(int imm) {
        for (AtomicOp op : values()) {
            if (op.imm == imm) return op;
        }
        return null;
    }
}
