package dev.weir.datapath.maps;

/**
 * A map whose values sit in numbered slots of one store laid out by {@link ValueLayout}: arrays,
 * hash maps and LPM tries. Holds the store and answers the interpreter's layout questions.
 */
abstract sealed class SlottedMap extends MemoryMap permits ArrayMap, HashTableMap, LpmTrieMap {
    protected final ValueLayout layout;
    protected final byte[] values;

    protected SlottedMap(MapSpec spec, int possibleCpus, int slots) {
        super(spec);
        this.layout = ValueLayout.of(spec, possibleCpus);
        this.values = layout.newStore(slots);
    }

    @Override
    public final int cpus() {
        return layout.cpus();
    }

    @Override
    public final byte[] valueStore() {
        return values;
    }

    @Override
    public final int valueStride() {
        return layout.stride();
    }
}
