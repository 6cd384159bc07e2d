package dev.weir.datapath.maps;

import java.util.Arrays;
import java.util.Optional;

/**
 * BPF_MAP_TYPE_HASH, PERCPU_HASH and LRU_HASH: a chained hash table over primitive arrays, with
 * max_entries preallocated slots (as the kernel's default, preallocated hash maps). Slot {@code s}
 * holds its key at {@code keys[s * keySize]} and its value at the {@link ValueLayout} offset of
 * {@code s}; unused slots form a free list. Lookups, updates and deletes from programs allocate
 * nothing.
 *
 * <p>A full HASH or PERCPU_HASH refuses a new key with E2BIG; an LRU_HASH evicts its least recently
 * used entry instead (see {@link LruOrder}). Programs' lookups and all updates count as use;
 * user-space lookups do not (the kernel's lookup_elem_sys_only for LRU maps).
 *
 * <p>Iteration ({@link #nextKey}) goes by slot number: stable while the map is unchanged, every key
 * once. The kernel goes by bucket instead; neither order is part of the ABI.
 */
public final class HashTableMap extends SlottedMap {
    private final int keySize;
    private final byte[] keys;
    private final int[] hashes; // per slot, so most mismatches cost no key comparison
    private final int[] next; // per slot: the next slot in its bucket's chain, or in the free list
    private final boolean[] used;
    private final int[] buckets; // first slot of each chain, -1 if empty
    private final int bucketMask;
    private final LruOrder lru; // null unless LRU_HASH
    private int freeHead;
    private int size;

    HashTableMap(MapSpec spec, int possibleCpus) {
        super(spec, possibleCpus, spec.maxEntries());
        int capacity = spec.maxEntries();
        this.keySize = spec.keySize();
        this.keys = new byte[Math.multiplyExact(capacity, keySize)];
        this.hashes = new int[capacity];
        this.used = new boolean[capacity];
        this.next = new int[capacity];
        for (int s = 0; s < capacity; s++) next[s] = s + 1;
        next[capacity - 1] = -1;
        this.freeHead = 0;
        // At most one entry per bucket on average: chains stay short without a rehash ever.
        int bucketCount = capacity >= 1 << 30 ? 1 << 30 : Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.buckets = new int[bucketCount];
        Arrays.fill(buckets, -1);
        this.bucketMask = bucketCount - 1;
        this.lru = spec.type() == MapType.LRU_HASH ? new LruOrder(capacity) : null;
    }

    /** Number of keys held. */
    public int size() {
        return size;
    }




    @Override
    public int lookupFrom(byte[] key, int keyOffset, int cpu) {
        int slot = find(key, keyOffset, Bytes.hash(key, keyOffset, keySize));
        if (slot < 0) return -1;
        if (lru != null) lru.touch(slot);
        return layout.offset(slot, cpu);
    }

    @Override
    public int updateFrom(byte[] key, int keyOffset, byte[] value, int valueOffset, long flags, int cpu) {
        int placed = place(key, keyOffset, flags);
        if (placed < 0) return placed;
        int slot = placed >>> 1;
        if (isNew(placed)) layout.writeNew(values, slot, cpu, value, valueOffset);
        else layout.writeOne(values, slot, cpu, value, valueOffset);
        return 0;
    }

    @Override
    public int deleteFrom(byte[] key, int keyOffset) {
        int slot = find(key, keyOffset, Bytes.hash(key, keyOffset, keySize));
        if (slot < 0) return (int) Errno.ENOENT.negative();
        release(slot);
        return 0;
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkKey(key);
        int slot = find(key, 0, Bytes.hash(key, 0, keySize));
        return slot < 0 ? Optional.empty() : Optional.of(layout.read(values, slot));
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkKey(key);
        layout.checkUserValue(value);
        int placed = place(key, 0, flags);
        check(placed, "update");
        layout.write(values, placed >>> 1, value);
    }

    @Override
    public void delete(byte[] key) {
        checkKey(key);
        check(deleteFrom(key, 0), "delete");
    }

    /** The next used slot's key after {@code key}'s slot; from the first slot when the key is null or absent. */
    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        int from = 0;
        if (key != null) {
            checkKey(key);
            from = find(key, 0, Bytes.hash(key, 0, keySize)) + 1; // absent: -1 + 1, the first slot
        }
        for (int s = from; s < used.length; s++) {
            if (used[s]) return Optional.of(Arrays.copyOfRange(keys, s * keySize, (s + 1) * keySize));
        }
        return Optional.empty();
    }

    private int find(byte[] key, int keyOffset, int hash) {
        for (int s = buckets[hash & bucketMask]; s >= 0; s = next[s]) {
            if (hashes[s] == hash && Bytes.equal(keys, s * keySize, key, keyOffset, keySize)) return s;
        }
        return -1;
    }

    /**
     * Finds or inserts the key's slot, applying the update flags as htab_map_update_elem does.
     * Returns {@code slot << 1 | 1} for a new slot, {@code slot << 1} for an existing one, or a
     * negative errno; the caller then writes the value.
     */
    private int place(byte[] key, int keyOffset, long flags) {
        if (!validUpdateFlags(flags)) return (int) Errno.EINVAL.negative();
        int hash = Bytes.hash(key, keyOffset, keySize);
        int slot = find(key, keyOffset, hash);
        if (slot >= 0) {
            if (flags == NOEXIST) return (int) Errno.EEXIST.negative();
            if (lru != null) lru.touch(slot);
            return slot << 1;
        }
        if (flags == EXIST) return (int) Errno.ENOENT.negative();
        slot = allocate();
        if (slot < 0) return (int) Errno.E2BIG.negative();
        System.arraycopy(key, keyOffset, keys, slot * keySize, keySize);
        hashes[slot] = hash;
        int bucket = hash & bucketMask;
        next[slot] = buckets[bucket];
        buckets[bucket] = slot;
        used[slot] = true;
        size++;
        if (lru != null) lru.add(slot);
        return slot << 1 | 1;
    }

    private static boolean isNew(int placed) {
        return (placed & 1) != 0;
    }

    /** A free slot; for a full LRU map, the least recently used one, evicted. -1 when full. */
    private int allocate() {
        if (freeHead < 0 && lru != null) release(lru.eldest());
        int slot = freeHead;
        if (slot >= 0) freeHead = next[slot];
        return slot;
    }

    /** Unlinks a used slot from its chain (and the LRU order) and returns it to the free list. */
    private void release(int slot) {
        int bucket = hashes[slot] & bucketMask;
        if (buckets[bucket] == slot) {
            buckets[bucket] = next[slot];
        } else {
            int s = buckets[bucket];
            while (next[s] != slot) s = next[s];
            next[s] = next[slot];
        }
        used[slot] = false;
        layout.clear(values, slot);
        size--;
        if (lru != null) lru.remove(slot);
        next[slot] = freeHead;
        freeHead = slot;
    }
}
