package dev.weir.datapath.maps;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where values sit in a map's {@code valueStore}, and how the user-space view of a value maps onto
 * it. Every value takes {@code stride} bytes, its size rounded up to 8 as the kernel's array and
 * hash elements are, so 8-byte fields are aligned. A per-CPU map keeps its CPUs' values for one slot
 * next to each other, which is also bpf(2)'s user-space layout: copying a per-CPU value in or out
 * is one contiguous copy of {@code cpus * stride} bytes, padding included (as the kernel's
 * {@code copy_map_value_long}).
 */
record ValueLayout(String mapName, int valueSize, int stride, int cpus, boolean perCpu) {
    static ValueLayout of(MapSpec spec, int possibleCpus) {
        boolean perCpu = spec.type().perCpu();
        return new ValueLayout(spec.name(), spec.valueSize(), spec.perCpuStride(), perCpu ? possibleCpus : 1, perCpu);
    }

    /** A zeroed store for {@code slots} values, refused when it would not fit in one Java array. */
    byte[] newStore(int slots) {
        long bytes = (long) slots * cpus * stride;
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("map '" + mapName + "': " + slots + " values of " + stride + " bytes"
                    + (perCpu ? " on " + cpus + " CPUs" : "") + " do not fit in memory (" + bytes + " bytes)");
        }
        return new byte[(int) bytes];
    }

    /** Zeroes every CPU's value in a slot, so a freed slot keeps nothing of the entry it held. */
    void clear(byte[] store, int slot) {
        int from = slot * cpus * stride;
        java.util.Arrays.fill(store, from, from + cpus * stride, (byte) 0);
    }

    /** Start of {@code cpu}'s value in {@code slot}; {@code cpu} is ignored unless per-CPU. */
    int offset(int slot, int cpu) {
        if (!perCpu) return slot * stride;
        return (slot * cpus + Objects.checkIndex(cpu, cpus)) * stride;
    }

    /** Length of the value bpf(2) takes and returns. */
    int userLength() {
        return perCpu ? cpus * stride : valueSize;
    }

    void checkUserValue(byte[] value) {
        if (value == null || value.length != userLength()) {
            throw new IllegalArgumentException("map '" + mapName + "': value must be " + userLength() + " bytes"
                    + (perCpu ? " (" + cpus + " CPUs x " + stride + ")" : "")
                    + ", got " + (value == null ? "null" : value.length));
        }
    }

    /** The user-space view of a slot's value (all CPUs for per-CPU maps). */
    byte[] read(byte[] store, int slot) {
        int from = offset(slot, 0);
        return Arrays.copyOfRange(store, from, from + userLength());
    }

    /** A user-space write: every CPU's value at once for per-CPU maps. */
    void write(byte[] store, int slot, byte[] userValue) {
        System.arraycopy(userValue, 0, store, offset(slot, 0), userLength());
    }

    /** A program's write to an existing value: only the running CPU's copy. */
    void writeOne(byte[] store, int slot, int cpu, byte[] src, int srcOffset) {
        System.arraycopy(src, srcOffset, store, offset(slot, cpu), valueSize);
    }

    /**
     * A program's write to a value it just created: the other CPUs' copies start zeroed (the
     * kernel's pcpu_init_value), so a reused slot shows nothing of its previous key.
     */
    void writeNew(byte[] store, int slot, int cpu, byte[] src, int srcOffset) {
        int from = offset(slot, 0);
        Arrays.fill(store, from, from + cpus * stride, (byte) 0);
        writeOne(store, slot, cpu, src, srcOffset);
    }
}
