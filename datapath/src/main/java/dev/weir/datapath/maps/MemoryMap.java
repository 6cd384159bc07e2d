package dev.weir.datapath.maps;

/**
 * A map held in Java memory, for the interpreter. Besides the user-space {@link BpfMap} operations
 * it offers the allocation-free operations the interpreter's helpers call, reading keys and
 * values straight out of the program's memory (a byte array and an offset).
 *
 * <p>Values live in one {@link #valueStore()} array that is never reallocated, so the
 * interpreter can expose it to programs as a single memory region: a lookup returns the byte
 * offset of the value in that array. Value {@code slot} for {@code cpu} starts at
 * {@code (slot * cpus() + cpu) * valueStride()}; for maps that are not per-CPU, cpus() is 1 in this
 * formula. Only the first {@code spec().valueSize()} bytes of each stride belong to the value.
 *
 * <p>Implementations, one per family ({@link #create} picks): {@link ArrayMap} (ARRAY,
 * PERCPU_ARRAY), {@link HashTableMap} (HASH, PERCPU_HASH, LRU_HASH), {@link LpmTrieMap},
 * {@link ProgArrayMap} and {@link RingBufferMap}. None is thread-safe: the interpreter runs one
 * program at a time against a map, or synchronizes around it.
 *
 * <p>Where the kernel replaces an element on update (hash and trie maps allocate a fresh one, so a
 * program still holding a pointer to the old value keeps reading the old bytes), these maps
 * overwrite the value in place: only a program that keeps a value pointer across its own update
 * of the same key can tell.
 */
public abstract class MemoryMap implements BpfMap {
    protected final MapSpec spec;

    protected MemoryMap(MapSpec spec) {
        this.spec = spec;
    }

    /**
     * Creates the in-memory implementation for any {@link MapType}. {@code possibleCpus} is the
     * number of values a per-CPU map keeps per key (the kernel's num_possible_cpus()); other maps
     * ignore it.
     */
    public static MemoryMap create(MapSpec spec, int possibleCpus) {
        if (possibleCpus < 1) throw new IllegalArgumentException("possibleCpus must be at least 1, got " + possibleCpus);
        return switch (spec.type()) {
            case ARRAY, PERCPU_ARRAY -> new ArrayMap(spec, possibleCpus);
            case HASH, PERCPU_HASH, LRU_HASH -> new HashTableMap(spec, possibleCpus);
            case LPM_TRIE -> new LpmTrieMap(spec);
            case PROG_ARRAY -> new ProgArrayMap(spec);
            case RINGBUF -> new RingBufferMap(spec);
        };
    }

    @Override
    public MapSpec spec() {
        return spec;
    }

    /** Values kept per key: possibleCpus for per-CPU maps, 1 for the others. */
    public int cpus() {
        return 1;
    }

    /** The backing array of all values (empty for maps without values). */
    public abstract byte[] valueStore();

    /**
     * Distance in bytes between consecutive values in {@link #valueStore()}: the value size rounded
     * up to 8 (as the kernel lays out array and hash elements); 0 for maps without fixed values
     * (program arrays, ring buffers).
     */
    public abstract int valueStride();

    /**
     * Offset in {@link #valueStore()} of the value for the key at {@code key[keyOffset..]}, for the
     * given CPU, or -1 when absent. LRU maps mark the entry used.
     */
    public abstract int lookupFrom(byte[] key, int keyOffset, int cpu);

    /** A program's update: 0 or a negative errno. Per-CPU maps update only {@code cpu}'s value. */
    public abstract int updateFrom(byte[] key, int keyOffset, byte[] value, int valueOffset, long flags, int cpu);

    /** A program's delete: 0 or a negative errno. */
    public abstract int deleteFrom(byte[] key, int keyOffset);

    /** Whether {@code flags} is BPF_ANY, BPF_NOEXIST or BPF_EXIST; anything else is EINVAL. */
    static boolean validUpdateFlags(long flags) {
        return Long.compareUnsigned(flags, EXIST) <= 0;
    }

    /** Refuses a user-space key of the wrong size, which bpf(2) callers cannot express. */
    protected final void checkKey(byte[] key) {
        if (key == null || key.length != spec.keySize()) {
            throw new IllegalArgumentException("map '" + spec.name() + "': key must be " + spec.keySize() + " bytes, got "
                    + (key == null ? "null" : key.length));
        }
    }

    /** Turns a program-style result (0 or a negative errno) into bpf(2)'s refusal. */
    protected final void check(int result, String operation) {
        if (result < 0) throw refusal(Errno.of(-result), operation);
    }

    protected final MapException refusal(Errno errno, String operation) {
        return new MapException(errno, operation + " on map '" + spec.name() + "' (" + spec.type() + ")");
    }
}
