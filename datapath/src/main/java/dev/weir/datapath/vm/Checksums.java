package dev.weir.datapath.vm;

/**
 * Internet checksum arithmetic exactly as the x86-64 kernel's checksum helpers compute it
 * (csum_partial, csum_add, csum_fold, csum_replace2/4, the by-diff variants). Words are read
 * little-endian from memory, as the kernel reads them on this architecture, so results match
 * its bytes; the 32-bit end-around-carry steps are kept so 0 and 0xffffffff come out alike.
 */
final class Checksums {
    private Checksums() {}

    /** csum_partial: one's complement sum of len bytes (tail zero-padded) plus seed, in 32 bits. */
    static int partial(byte[] d, int off, int len, int seed) {
        long sum = seed & 0xffffffffL;
        int i = 0;
        for (; i + 4 <= len; i += 4) sum += Memory.getInt(d, off + i) & 0xffffffffL;
        long tail = 0;
        for (int k = 0; i + k < len; k++) tail |= (d[off + i + k] & 0xffL) << (8 * k);
        sum += tail;
        while ((sum >>> 32) != 0) sum = (sum & 0xffffffffL) + (sum >>> 32);
        return (int) sum;
    }

    /** csum_add: 32-bit addition with end-around carry. */
    static int add(int a, int b) {
        int res = a + b;
        return res + (Integer.compareUnsigned(res, b) < 0 ? 1 : 0);
    }

    static int sub(int a, int b) {
        return add(a, ~b);
    }

    /** csum_from32to16: fold 32 bits to 16 with end-around carry, not complemented. */
    static int from32to16(int sum) {
        int s = (sum & 0xffff) + (sum >>> 16);
        return ((s & 0xffff) + (s >>> 16)) & 0xffff;
    }

    /** csum_fold: fold 32 bits to 16 and complement. */
    static int fold(int sum) {
        int s = (sum & 0xffff) + (sum >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return ~s & 0xffff;
    }

    /** csum_replace4 (and inet_proto_csum_replace4): a stored checksum after a 32-bit field changes. */
    static int replace4(int stored, int from, int to) {
        return fold(add(sub(~(stored & 0xffff), from), to));
    }

    /** csum_replace2: the 16-bit arithmetic the kernel uses for l3 2-byte updates. */
    static int replace2(int stored, int from, int to) {
        return ~add16(add16(~stored & 0xffff, ~from & 0xffff), to & 0xffff) & 0xffff;
    }

    /** csum_replace_by_diff / inet_proto_csum_replace_by_diff. */
    static int replaceByDiff(int stored, int diff) {
        return fold(add(diff, ~(stored & 0xffff)));
    }

    private static int add16(int csum, int addend) {
        int res = (csum + addend) & 0xffff;
        return (res + (res < addend ? 1 : 0)) & 0xffff;
    }
}
