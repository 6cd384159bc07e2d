package dev.weir.datapath.maps;

import java.util.Optional;

/**
 * BPF_MAP_TYPE_ARRAY and BPF_MAP_TYPE_PERCPU_ARRAY: the key is a u32 index and every entry from 0
 * to max_entries - 1 always exists, zero-filled at creation. Entries cannot be deleted.
 */
public final class ArrayMap extends SlottedMap {

    ArrayMap(MapSpec spec, int possibleCpus) {
        super(spec, possibleCpus, spec.maxEntries());
    }




    @Override
    public int lookupFrom(byte[] key, int keyOffset, int cpu) {
        int index = Bytes.u32(key, keyOffset);
        return inRange(index) ? layout.offset(index, cpu) : -1;
    }

    @Override
    public int updateFrom(byte[] key, int keyOffset, byte[] value, int valueOffset, long flags, int cpu) {
        int index = Bytes.u32(key, keyOffset);
        int refused = checkUpdate(index, flags);
        if (refused != 0) return refused;
        layout.writeOne(values, index, cpu, value, valueOffset);
        return 0;
    }

    /** Array entries cannot be deleted. */
    @Override
    public int deleteFrom(byte[] key, int keyOffset) {
        return (int) Errno.EINVAL.negative();
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkKey(key);
        int index = Bytes.u32(key, 0);
        return inRange(index) ? Optional.of(layout.read(values, index)) : Optional.empty();
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkKey(key);
        layout.checkUserValue(value);
        int index = Bytes.u32(key, 0);
        check(checkUpdate(index, flags), "update");
        layout.write(values, index, value);
    }

    @Override
    public void delete(byte[] key) {
        checkKey(key);
        throw refusal(Errno.EINVAL, "delete");
    }

    /** As array_map_get_next_key: a missing or out-of-range key restarts at index 0. */
    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        int next;
        if (key == null) {
            next = 0;
        } else {
            checkKey(key);
            int index = Bytes.u32(key, 0);
            if (!inRange(index)) next = 0;
            else if (index == spec.maxEntries() - 1) return Optional.empty();
            else next = index + 1;
        }
        byte[] out = new byte[4];
        Bytes.putU32(out, 0, next);
        return Optional.of(out);
    }

    /** The kernel's order of checks in array_map_update_elem. */
    private int checkUpdate(int index, long flags) {
        if (!validUpdateFlags(flags)) return (int) Errno.EINVAL.negative();
        if (!inRange(index)) return (int) Errno.E2BIG.negative();
        if (flags == NOEXIST) return (int) Errno.EEXIST.negative();
        return 0;
    }

    /** Keys are unsigned: 0xffffffff is past the end, not -1. */
    private boolean inRange(int index) {
        return Integer.compareUnsigned(index, spec.maxEntries()) < 0;
    }
}
