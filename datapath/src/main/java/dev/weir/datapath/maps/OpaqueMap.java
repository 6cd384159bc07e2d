package dev.weir.datapath.maps;

/**
 * A map whose elements programs cannot reach through the element helpers (the verifier refuses
 * them): program arrays and ring buffers. Lookups find nothing; updates and deletes are EINVAL.
 */
abstract sealed class OpaqueMap extends MemoryMap permits ProgArrayMap, RingBufferMap {
    protected OpaqueMap(MapSpec spec) {
        super(spec);
    }

    /** 0: no fixed-size elements for the interpreter to bound accesses to. */
    @Override
    public final int valueStride() {
        return 0;
    }

    @Override
    public final int lookupFrom(byte[] key, int keyOffset, int cpu) {
        return -1;
    }

    @Override
    public final int updateFrom(byte[] key, int keyOffset, byte[] value, int valueOffset, long flags, int cpu) {
        return (int) Errno.EINVAL.negative();
    }

    @Override
    public final int deleteFrom(byte[] key, int keyOffset) {
        return (int) Errno.EINVAL.negative();
    }
}
