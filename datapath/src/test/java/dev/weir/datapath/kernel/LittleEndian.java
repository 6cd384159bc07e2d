package dev.weir.datapath.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Keys and values as the kernel lays them out on x86-64. */
final class LittleEndian {
    private LittleEndian() {}

    static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    static byte[] u64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    static int readU32(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    static long readU64(byte[] bytes, int offset) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(offset);
    }

    /** An LPM trie key: a u32 prefix length, then the address bytes in network order. */
    static byte[] lpmKey(int prefixLength, int a, int b, int c, int d) {
        return new byte[] {(byte) prefixLength, 0, 0, 0, (byte) a, (byte) b, (byte) c, (byte) d};
    }
}
