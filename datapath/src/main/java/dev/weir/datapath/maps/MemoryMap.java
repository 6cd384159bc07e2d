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
 * formula.
 */
public abstract class MemoryMap implements BpfMap {
    protected final MapSpec spec;

    protected MemoryMap(MapSpec spec) {
        this.spec = spec;
    }

    /** Creates the in-memory implementation for any {@link MapType}. */
    public static MemoryMap create(MapSpec spec, int possibleCpus) {
        throw new UnsupportedOperationException("implemented by the maps work");
    }

    @Override
    public MapSpec spec() {
        return spec;
    }

    /** The backing array of all values (empty for maps without values). */
    public abstract byte[] valueStore();

    /** Distance in bytes between consecutive values in {@link #valueStore()}. */
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
}
