package dev.weir.datapath.isa;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Encoded eBPF: the kernel's array of 8-byte little-endian slots, exactly as bpf(BPF_PROG_LOAD)
 * takes it. Immutable and compared by content, so compiled programs can be hashed and cached.
 */
public final class Bytecode {
    public static final int SLOT = 8;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] bytes;

    private Bytecode(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Bytecode of(byte[] bytes) {
        if (bytes.length % SLOT != 0) {
            throw new BytecodeException(-1, "bytecode length " + bytes.length + " is not a multiple of 8");
        }
        return new Bytecode(bytes.clone());
    }

    /** Parses hex digits, ignoring white space and an optional 0x per token of 8 bytes. */
    public static Bytecode ofHex(String hex) {
        String digits = hex.replaceAll("(?i)0x", "").replaceAll("\\s+", "");
        try {
            return of(HexFormat.of().parseHex(digits));
        } catch (IllegalArgumentException e) {
            throw new BytecodeException(-1, "not hex bytecode: " + e.getMessage());
        }
    }

    /** Builds bytecode from 64-bit slot values written as the corpus does (0x0000000000000095 = exit). */
    public static Bytecode ofSlots(long... slots) {
        byte[] b = new byte[slots.length * SLOT];
        for (int i = 0; i < slots.length; i++) {
            for (int k = 0; k < SLOT; k++) b[i * SLOT + k] = (byte) (slots[i] >>> (8 * k));
        }
        return new Bytecode(b);
    }

    static Bytecode wrap(byte[] bytes) {
        return new Bytecode(bytes);
    }

    public int slotCount() {
        return bytes.length / SLOT;
    }

    public int opcode(int slot) {
        return bytes[slot * SLOT] & 0xff;
    }

    public int dst(int slot) {
        return bytes[slot * SLOT + 1] & 0x0f;
    }

    public int src(int slot) {
        return (bytes[slot * SLOT + 1] >>> 4) & 0x0f;
    }

    public short offset(int slot) {
        return (short) SHORT.get(bytes, slot * SLOT + 2);
    }

    public int imm(int slot) {
        return (int) INT.get(bytes, slot * SLOT + 4);
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytecode other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Bytecode[" + slotCount() + " slots]";
    }
}
