package dev.weir.datapath.isa;

/** Memory access widths and their encoding in the size field (bits 3-4) of load/store opcodes. */
public enum Size {
    W(0x00, 4, "w", "u32"), H(0x08, 2, "h", "u16"), B(0x10, 1, "b", "u8"), DW(0x18, 8, "dw", "u64");

    public final int code;
    public final int bytes;
    /** The suffix of the conformance-corpus mnemonics (ldxw, stb, ...). */
    public final String suffix;
    /** The type name bpftool prints in memory operands: *(u32 *)(r1 + 4). */
    public final String cType;

    Size(int code, int bytes, String suffix, String cType) {
        this.code = code;
        this.bytes = bytes;
        this.suffix = suffix;
        this.cType = cType;
    }

    public static Size ofCode(int code) {
        for (Size s : values()) {
            if (s.code == (code & 0x18)) return s;
        }
        throw new AssertionError();
    }

    public static Size ofBytes(int bytes) {
        for (Size s : values()) {
            if (s.bytes == bytes) return s;
        }
        throw new IllegalArgumentException("no access size of " + bytes + " bytes");
    }
}
