package dev.weir.datapath.maps;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * Byte-array reads, key hashing and comparison for the maps' hot paths. Everything reads straight
 * out of the caller's array at an offset and allocates nothing.
 */
final class Bytes {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final HexFormat HEX = HexFormat.of();

    private static final long K1 = 0x9E3779B97F4A7C15L, K2 = 0xC2B2AE3D27D4EB4FL, K3 = 0xFF51AFD7ED558CCDL;

    private Bytes() {
    }

    /** A u32 in host (x86, little-endian) order, as keys of arrays and LPM prefix lengths are. */
    static int u32(byte[] b, int off) {
        return (int) INT_LE.get(b, off);
    }

    static void putU32(byte[] b, int off, int value) {
        INT_LE.set(b, off, value);
    }

    /** Big-endian (network order) reads, so that bit 0 of an address is the top bit. */
    static long longBE(byte[] b, int off) {
        return (long) LONG_BE.get(b, off);
    }

    static int intBE(byte[] b, int off) {
        return (int) INT_BE.get(b, off);
    }

    /** Bit {@code index} of a network-order bit string, counting from the most significant bit. */
    static int bit(byte[] b, int off, int index) {
        return (b[off + (index >>> 3)] >>> (7 - (index & 7))) & 1;
    }

    static boolean equal(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int i = 0;
        for (; i <= len - 8; i += 8) {
            if ((long) LONG_LE.get(a, aOff + i) != (long) LONG_LE.get(b, bOff + i)) return false;
        }
        if (i <= len - 4) {
            if ((int) INT_LE.get(a, aOff + i) != (int) INT_LE.get(b, bOff + i)) return false;
            i += 4;
        }
        for (; i < len; i++) {
            if (a[aOff + i] != b[bOff + i]) return false;
        }
        return true;
    }

    /**
     * A 32-bit hash of {@code len} bytes, 8 at a time, with a final avalanche so that the low bits
     * (the bucket index) depend on every input bit. Deterministic, so iteration order is
     * reproducible from run to run.
     */
    static int hash(byte[] b, int off, int len) {
        long h = K3 ^ len;
        int i = 0;
        for (; i <= len - 8; i += 8) {
            h = Long.rotateLeft(h ^ (long) LONG_LE.get(b, off + i) * K1, 29) * K2;
        }
        if (i < len) {
            long tail = 0;
            if (i <= len - 4) {
                tail = (int) INT_LE.get(b, off + i) & 0xffffffffL;
                i += 4;
            }
            for (int shift = 32; i < len; i++, shift += 8) tail |= (b[off + i] & 0xffL) << shift;
            h = Long.rotateLeft(h ^ tail * K1, 29) * K2;
        }
        h ^= h >>> 33;
        h *= K3;
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }

    static int align8(int n) {
        return (n + 7) & ~7;
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }
}
