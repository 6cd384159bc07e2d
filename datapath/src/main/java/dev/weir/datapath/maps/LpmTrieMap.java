package dev.weir.datapath.maps;

import static dev.weir.datapath.maps.LpmNodes.NONE;

import java.util.Optional;

/**
 * BPF_MAP_TYPE_LPM_TRIE: longest-prefix match over keys of a u32 prefix length (host order)
 * followed by {@code keySize - 4} data bytes in network order. The structure and its update and
 * delete surgery are the kernel's (kernel/bpf/lpm_trie.c): a path-compressed binary trie whose
 * nodes each hold a prefix, two children, and either an entry or nothing (an intermediate node
 * that only splits two subtrees). Nodes are ints ({@link LpmNodes}) and an {@link LpmJumpTable}
 * skips the dense top of the trie, so a lookup is a few int compares and allocates nothing.
 *
 * <p>Kernel behaviours kept: a lookup treats the key's prefix length as an upper bound (an entry
 * longer than it never matches); user-space lookups are longest-prefix matches too; bits beyond the
 * prefix length are ignored when matching, but an entry keeps the data bytes it was last written
 * with, and {@link #nextKey} returns them (as the kernel does); a new prefix in a full map is
 * ENOSPC; a prefix length over {@code 8 * (keySize - 4)} is EINVAL.
 *
 * <p>Values live in {@code max_entries} preallocated slots (the kernel allocates per node instead);
 * iteration goes by slot number, so it is stable while the map is unchanged. Updates that add
 * short prefixes cost more than the kernel's: they refresh up to 2^16 jump cells.
 */
public final class LpmTrieMap extends SlottedMap {
    /** Where a node hangs when it is the root: see {@link #attach}. */
    private static final int ROOT_LINK = -1;

    private final int maxPrefixLen;
    private final int[] entryNode; // node of each used value slot; for free slots, the next free slot
    private final boolean[] used;
    private int freeEntry, size;

    private final LpmNodes nodes;
    private final LpmJumpTable jump;
    private int root = NONE;
    private boolean rootReplaced;

    LpmTrieMap(MapSpec spec) {
        super(spec, 1, spec.maxEntries());
        int dataSize = spec.keySize() - 4;
        int capacity = spec.maxEntries();
        this.maxPrefixLen = 8 * dataSize;
        this.used = new boolean[capacity];
        this.entryNode = new int[capacity];
        for (int s = 0; s < capacity; s++) entryNode[s] = s + 1;
        entryNode[capacity - 1] = NONE;
        this.nodes = new LpmNodes(dataSize, capacity);
        this.jump = new LpmJumpTable(maxPrefixLen, capacity);
    }

    /** Number of prefixes held. */
    public int size() {
        return size;
    }



    @Override
    public int lookupFrom(byte[] key, int keyOffset, int cpu) {
        int entry = longestMatch(key, keyOffset);
        return entry < 0 ? -1 : layout.offset(entry, cpu);
    }

    @Override
    public int updateFrom(byte[] key, int keyOffset, byte[] value, int valueOffset, long flags, int cpu) {
        int placed = place(key, keyOffset, flags);
        if (placed < 0) return placed;
        layout.writeOne(values, placed, cpu, value, valueOffset);
        return 0;
    }

    @Override
    public int deleteFrom(byte[] key, int keyOffset) {
        int prefixLen = Bytes.u32(key, keyOffset);
        if (Integer.compareUnsigned(prefixLen, maxPrefixLen) > 0) return (int) Errno.EINVAL.negative();
        int dataOffset = keyOffset + 4;
        // Walk to the exact node, remembering where it and its parent hang (trie_delete_elem).
        int link = ROOT_LINK, parentLink = ROOT_LINK, parent = NONE, node = root, matched = 0;
        while (node != NONE) {
            int nodeLen = nodes.prefixLen(node);
            matched = nodes.matchLength(node, key, dataOffset, Math.min(nodeLen, prefixLen));
            if (nodeLen != matched || nodeLen == prefixLen) break;
            parent = node;
            parentLink = link;
            link = childLink(node, Bytes.bit(key, dataOffset, nodeLen));
            node = linked(link);
        }
        if (node == NONE || nodes.prefixLen(node) != prefixLen || matched != prefixLen || nodes.entry(node) == NONE) {
            return (int) Errno.ENOENT.negative();
        }
        freeEntry(nodes.entry(node));
        int child0 = nodes.child(node, 0), child1 = nodes.child(node, 1);
        if (child0 != NONE && child1 != NONE) {
            nodes.setEntry(node, NONE); // still splits two subtrees: it stays, as an intermediate node
            changed(node);
        } else if (child0 == NONE && child1 == NONE && parent != NONE && nodes.entry(parent) == NONE) {
            // An intermediate parent left with one child is useless: its other child takes its place.
            attach(parentLink, nodes.child(parent, 0) == node ? nodes.child(parent, 1) : nodes.child(parent, 0));
            changed(parent);
            nodes.remove(parent);
            nodes.remove(node);
        } else {
            attach(link, child0 != NONE ? child0 : child1);
            changed(node);
            nodes.remove(node);
        }
        return 0;
    }

    /** Longest-prefix match, as BPF_MAP_LOOKUP_ELEM on an LPM trie does. */
    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkKey(key);
        int entry = longestMatch(key, 0);
        return entry < 0 ? Optional.empty() : Optional.of(layout.read(values, entry));
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkKey(key);
        layout.checkUserValue(value);
        int placed = place(key, 0, flags);
        check(placed, "update");
        layout.write(values, placed, value);
    }

    @Override
    public void delete(byte[] key) {
        checkKey(key);
        check(deleteFrom(key, 0), "delete");
    }

    /** Entries in slot order; the first one when {@code key} is null or names no entry exactly. */
    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        int from = 0;
        if (key != null) {
            checkKey(key);
            int node = exactNode(key, 0);
            if (node != NONE) from = nodes.entry(node) + 1;
        }
        for (int s = from; s < used.length; s++) {
            if (used[s]) return Optional.of(keyOf(entryNode[s]));
        }
        return Optional.empty();
    }

    /**
     * The entry slot of the longest prefix matching the key (trie_lookup_elem), or -1. Each node on
     * the path is tested on its whole prefix, as in the kernel, which also covers the bits a
     * path-compressed parent skipped.
     */
    private int longestMatch(byte[] key, int keyOffset) {
        int prefixLen = Bytes.u32(key, keyOffset);
        if (Integer.compareUnsigned(prefixLen, maxPrefixLen) > 0) return NONE;
        int dataOffset = keyOffset + 4;
        int found = NONE, node = root;
        if (node != NONE && jump.width > 0 && prefixLen >= jump.from + jump.width) {
            if (!nodes.prefixMatches(node, key, dataOffset, jump.from)) return NONE; // outside the root: nothing matches
            int cell = 2 * nodes.keyBits(key, dataOffset, jump.from, jump.width);
            found = jump.cells[cell];
            node = jump.cells[cell + 1];
        }
        int[] ints = nodes.ints;
        int stride = nodes.stride;
        while (node != NONE) {
            int at = node * stride;
            int nodeLen = ints[at + LpmNodes.PREFIX];
            if (nodeLen > prefixLen || !nodes.prefixMatches(node, key, dataOffset, nodeLen)) break;
            if (ints[at + LpmNodes.ENTRY] != NONE) found = ints[at + LpmNodes.ENTRY];
            if (nodeLen == maxPrefixLen) break; // a full-length match: nothing below can be longer
            node = ints[at + LpmNodes.CHILD + Bytes.bit(key, dataOffset, nodeLen)];
        }
        return found;
    }

    /** The node holding exactly this prefix as an entry, or NONE. */
    private int exactNode(byte[] key, int keyOffset) {
        int prefixLen = Bytes.u32(key, keyOffset);
        if (Integer.compareUnsigned(prefixLen, maxPrefixLen) > 0) return NONE;
        int dataOffset = keyOffset + 4;
        for (int node = root; node != NONE; ) {
            int nodeLen = nodes.prefixLen(node);
            if (nodeLen > prefixLen || !nodes.prefixMatches(node, key, dataOffset, nodeLen)) return NONE;
            if (nodeLen == prefixLen) return nodes.entry(node) == NONE ? NONE : node;
            node = nodes.child(node, Bytes.bit(key, dataOffset, nodeLen));
        }
        return NONE;
    }

    /**
     * Finds or makes the entry for the key, with trie_update_elem's checks and node surgery.
     * Returns the entry's value slot or a negative errno; the caller then writes the value.
     */
    private int place(byte[] key, int keyOffset, long flags) {
        if (!validUpdateFlags(flags)) return (int) Errno.EINVAL.negative();
        int prefixLen = Bytes.u32(key, keyOffset);
        if (Integer.compareUnsigned(prefixLen, maxPrefixLen) > 0) return (int) Errno.EINVAL.negative();
        int dataOffset = keyOffset + 4;

        int link = ROOT_LINK, node = root, matched = 0;
        while (node != NONE) {
            int nodeLen = nodes.prefixLen(node);
            matched = nodes.matchLength(node, key, dataOffset, Math.min(nodeLen, prefixLen));
            if (nodeLen != matched || nodeLen == prefixLen) break;
            link = childLink(node, Bytes.bit(key, dataOffset, nodeLen));
            node = linked(link);
        }

        if (node != NONE && nodes.prefixLen(node) == matched) {
            // The prefix has a node already (matched == its length == prefixLen here).
            int entry = nodes.entry(node);
            if (entry != NONE) {
                if (flags == NOEXIST) return (int) Errno.EEXIST.negative();
            } else {
                int refused = checkAdd(flags);
                if (refused != 0) return refused;
                entry = allocateEntry(node);
                nodes.setEntry(node, entry);
                changed(node);
            }
            nodes.setData(node, key, dataOffset); // the kernel's replacement node takes the new key's bytes
            return entry;
        }

        int refused = checkAdd(flags);
        if (refused != 0) return refused;
        int added = nodes.add(prefixLen, key, dataOffset);
        int entry = allocateEntry(added);
        nodes.setEntry(added, entry);
        if (node == NONE) {
            attach(link, added);
            changed(added);
        } else if (matched == prefixLen) {
            // The new prefix covers the node found: it goes in between, above it.
            nodes.setChild(added, nodes.bit(node, matched), node);
            attach(link, added);
            changed(added);
        } else {
            // They diverge after `matched` bits: an intermediate node splits them. Its data is the
            // key's where the kernel copies the other node's: only the first `matched` bits count.
            int split = nodes.add(matched, key, dataOffset);
            int addedBit = Bytes.bit(key, dataOffset, matched);
            nodes.setChild(split, addedBit, added);
            nodes.setChild(split, 1 - addedBit, node);
            attach(link, split);
            changed(split);
        }
        return entry;
    }

    /** trie_check_add_elem: what refuses a new entry. */
    private int checkAdd(long flags) {
        if (flags == EXIST) return (int) Errno.ENOENT.negative();
        if (size == used.length) return (int) Errno.ENOSPC.negative();
        return 0;
    }

    /** A link names where a node hangs: ROOT_LINK, or a child field of a node. */
    private static int childLink(int node, int bit) {
        return 2 * node + bit;
    }

    private int linked(int link) {
        return link == ROOT_LINK ? root : nodes.child(link >>> 1, link & 1);
    }

    private void attach(int link, int node) {
        if (link == ROOT_LINK) {
            root = node;
            rootReplaced = true;
        } else {
            nodes.setChild(link >>> 1, link & 1, node);
        }
    }

    /** Brings the jump table up to date after a change at or below {@code node} (still readable). */
    private void changed(int node) {
        if (rootReplaced) {
            rootReplaced = false;
            jump.rebuild(nodes, root, maxPrefixLen);
        } else {
            jump.refreshUnder(nodes, root, node);
        }
    }

    private byte[] keyOf(int node) {
        byte[] key = new byte[4 + nodes.dataSize];
        Bytes.putU32(key, 0, nodes.prefixLen(node));
        nodes.copyData(node, key, 4);
        return key;
    }

    private int allocateEntry(int node) {
        int entry = freeEntry;
        freeEntry = entryNode[entry];
        entryNode[entry] = node;
        used[entry] = true;
        size++;
        return entry;
    }

    private void freeEntry(int entry) {
        used[entry] = false;
        layout.clear(values, entry);
        entryNode[entry] = freeEntry;
        freeEntry = entry;
        size--;
    }
}
