package dev.weir.datapath.maps;

import java.util.Arrays;

/**
 * The nodes of an LPM trie, in one int array so that a lookup step reads one cache line: per node
 * its prefix length, its two children, its entry slot (NONE for an intermediate node), then its data
 * as big-endian 32-bit words (the last one zero-padded). Keys are read the same way, as words of
 * their data bytes, so comparing a node with a key is a few int compares under a mask.
 */
final class LpmNodes {
    static final int NONE = -1;
    static final int PREFIX = 0, CHILD = 1, ENTRY = 3, DATA = 4;

    final int dataSize, dataWords, stride;
    /** Node {@code n} starts at {@code ints[n * stride]}; reallocated when full, so read it afresh after adding nodes. */
    int[] ints;
    private final int maxNodes;
    private int count, free = NONE;

    LpmNodes(int dataSize, int maxEntries) {
        this.dataSize = dataSize;
        this.dataWords = (dataSize + 3) / 4;
        this.stride = DATA + dataWords;
        this.maxNodes = (int) Math.min(2L * maxEntries, Integer.MAX_VALUE / stride); // fewer than 2n for n entries
        this.ints = new int[Math.min(maxNodes, 64) * stride];
    }

    int prefixLen(int node) {
        return ints[node * stride + PREFIX];
    }

    int child(int node, int bit) {
        return ints[node * stride + CHILD + bit];
    }

    void setChild(int node, int bit, int child) {
        ints[node * stride + CHILD + bit] = child;
    }

    int entry(int node) {
        return ints[node * stride + ENTRY];
    }

    void setEntry(int node, int entry) {
        ints[node * stride + ENTRY] = entry;
    }

    /** A node with no children or entry, holding the key's data. */
    int add(int prefixLen, byte[] key, int dataOffset) {
        int node;
        if (free != NONE) {
            node = free;
            free = child(node, 0);
        } else {
            if ((count + 1) * stride > ints.length) {
                ints = Arrays.copyOf(ints, Math.min(maxNodes, 2 * count) * stride);
            }
            node = count++;
        }
        int at = node * stride;
        ints[at + PREFIX] = prefixLen;
        ints[at + CHILD] = ints[at + CHILD + 1] = ints[at + ENTRY] = NONE;
        setData(node, key, dataOffset);
        return node;
    }

    void remove(int node) {
        setChild(node, 0, free);
        free = node;
    }

    void setData(int node, byte[] key, int dataOffset) {
        int at = node * stride + DATA;
        for (int word = 0; word < dataWords; word++) ints[at + word] = keyWord(key, dataOffset, word);
    }

    /** Writes the node's data bytes into {@code out} at {@code offset}. */
    void copyData(int node, byte[] out, int offset) {
        int at = node * stride + DATA;
        for (int i = 0; i < dataSize; i++) out[offset + i] = (byte) (ints[at + i / 4] >>> (24 - 8 * (i % 4)));
    }

    /** Whether the first {@code length} bits of the node's data and of the key's data agree. */
    boolean prefixMatches(int node, byte[] key, int dataOffset, int length) {
        int at = node * stride + DATA;
        int word = 0;
        for (; length >= 32; word++, length -= 32) {
            if (ints[at + word] != keyWord(key, dataOffset, word)) return false;
        }
        return length == 0 || ((ints[at + word] ^ keyWord(key, dataOffset, word)) >>> (32 - length)) == 0;
    }

    /**
     * How many leading bits of the node's data and the key's data agree, capped at {@code limit}
     * (the kernel's longest_prefix_match).
     */
    int matchLength(int node, byte[] key, int dataOffset, int limit) {
        int at = node * stride + DATA;
        int matched = 0;
        for (int word = 0; word < dataWords && matched < limit; word++) {
            int diff = ints[at + word] ^ keyWord(key, dataOffset, word);
            matched += Integer.numberOfLeadingZeros(diff);
            if (diff != 0) break;
        }
        return Math.min(matched, limit);
    }

    /** Bits {@code [from, from + count)} of the node's data as an unsigned number, {@code count <= 16}. */
    int bits(int node, int from, int count) {
        int at = node * stride + DATA;
        int word = from >>> 5;
        long pair = (long) ints[at + word] << 32;
        if (word + 1 < dataWords) pair |= ints[at + word + 1] & 0xffffffffL;
        return (int) ((pair << (from & 31)) >>> (64 - count));
    }

    /** Bits {@code [from, from + count)} of the key's data, {@code count <= 16}. */
    int keyBits(byte[] key, int dataOffset, int from, int count) {
        int word = from >>> 5;
        long pair = (long) keyWord(key, dataOffset, word) << 32;
        if ((from & 31) + count > 32) pair |= keyWord(key, dataOffset, word + 1) & 0xffffffffL;
        return (int) ((pair << (from & 31)) >>> (64 - count));
    }

    /** Bit {@code index} of the node's data, counting from the most significant bit. */
    int bit(int node, int index) {
        return (ints[node * stride + DATA + (index >>> 5)] >>> (31 - (index & 31))) & 1;
    }

    /** Word {@code word} of the key's data, big-endian, zero-padded past the data's end. */
    int keyWord(byte[] key, int dataOffset, int word) {
        int from = word * 4;
        if (from + 4 <= dataSize) return Bytes.intBE(key, dataOffset + from);
        int value = 0;
        for (int i = from; i < dataSize; i++) value |= (key[dataOffset + i] & 0xff) << (24 - 8 * (i - from));
        return value;
    }
}
