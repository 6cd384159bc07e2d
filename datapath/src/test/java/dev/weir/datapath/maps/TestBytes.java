package dev.weir.datapath.maps;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/** Keys and values as bpf(2) lays them out, for the map tests. */
final class TestBytes {
    private TestBytes() {
    }

    /** A u32 in host (little-endian) order: an array index. */
    static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    /** A u64 in host order: a typical counter value. */
    static byte[] u64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    static long u64At(byte[] bytes, int offset) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(offset);
    }

    /** An LPM trie key: u32 prefix length in host order, then the address in network order. */
    static byte[] lpm(int prefixLen, String address) {
        byte[] data;
        try {
            data = InetAddress.getByName(address).getAddress(); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
        byte[] key = new byte[4 + data.length];
        System.arraycopy(u32(prefixLen), 0, key, 0, 4);
        System.arraycopy(data, 0, key, 4, data.length);
        return key;
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) length += p.length;
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
