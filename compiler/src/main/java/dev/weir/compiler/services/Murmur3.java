package dev.weir.compiler.services;

/**
 * MurmurHash3's x64 128-bit variant (Austin Appleby's MurmurHash3_x64_128, public domain), the hash Cilium's
 * Maglev takes a backend's offset and skip from. Written out here so that tables are the same on every run,
 * JVM and machine: nothing in it depends on the platform.
 */
final class Murmur3 {

    private static final long C1 = 0x87c37b91114253d5L, C2 = 0x4cf5ad432745937fL;

    private Murmur3() {}

    /** The two 64-bit halves, h1 then h2, of the hash of {@code data} with {@code seed}. */
    static long[] hash128(byte[] data, int seed) {
        long h1 = Integer.toUnsignedLong(seed), h2 = h1;
        int blocks = data.length / 16;
        for (int i = 0; i < blocks; i++) {
            long k1 = littleEndian(data, i * 16, 8), k2 = littleEndian(data, i * 16 + 8, 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = blocks * 16, rest = data.length - tail;
        if (rest > 8) h2 ^= mixK2(littleEndian(data, tail + 8, rest - 8));
        if (rest > 0) h1 ^= mixK1(littleEndian(data, tail, Math.min(rest, 8)));
        h1 ^= data.length;
        h2 ^= data.length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        return new long[] {h1, h2};
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    /** {@code length} (at most 8) bytes from {@code offset}, least significant first. */
    private static long littleEndian(byte[] data, int offset, int length) {
        long value = 0;
        for (int i = length - 1; i >= 0; i--) {
            value = (value << 8) | (data[offset + i] & 0xff);
        }
        return value;
    }
}
