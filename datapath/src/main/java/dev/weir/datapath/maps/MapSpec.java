package dev.weir.datapath.maps;

/**
 * What a map is, independent of where it lives (interpreter memory or the kernel): the fields of
 * BPF_MAP_CREATE. The constructor checks them as the kernel does and names the bad field.
 */
public record MapSpec(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags) {
    /** BPF_F_NO_PREALLOC: required for LPM tries. */
    public static final int F_NO_PREALLOC = 1;
    public static final int PAGE_SIZE = 4096;

    public MapSpec {
        String where = "map '" + name + "' (" + type + "): ";
        if (name == null || name.length() > 15) throw new IllegalArgumentException(where + "name must have 1-15 characters");
        if (maxEntries <= 0) throw new IllegalArgumentException(where + "maxEntries must be positive");
        switch (type) {
            case ARRAY, PERCPU_ARRAY -> {
                if (keySize != 4) throw new IllegalArgumentException(where + "keySize must be 4");
                if (valueSize <= 0) throw new IllegalArgumentException(where + "valueSize must be positive");
            }
            case PROG_ARRAY -> {
                if (keySize != 4 || valueSize != 4) throw new IllegalArgumentException(where + "keySize and valueSize must be 4");
            }
            case HASH, PERCPU_HASH, LRU_HASH -> {
                if (keySize <= 0 || valueSize <= 0) throw new IllegalArgumentException(where + "keySize and valueSize must be positive");
            }
            case LPM_TRIE -> {
                if (keySize < 5 || keySize > 4 + 256) throw new IllegalArgumentException(where + "keySize must be 4 + 1..256 data bytes");
                if (valueSize <= 0) throw new IllegalArgumentException(where + "valueSize must be positive");
                if ((flags & F_NO_PREALLOC) == 0) throw new IllegalArgumentException(where + "flags must include BPF_F_NO_PREALLOC");
            }
            case RINGBUF -> {
                if (keySize != 0 || valueSize != 0) throw new IllegalArgumentException(where + "keySize and valueSize must be 0");
                if (Integer.bitCount(maxEntries) != 1 || maxEntries % PAGE_SIZE != 0) {
                    throw new IllegalArgumentException(where + "maxEntries must be a power of 2 and a multiple of the page size");
                }
            }
        }
    }

    public static MapSpec array(String name, int valueSize, int maxEntries) {
        return new MapSpec(name, MapType.ARRAY, 4, valueSize, maxEntries, 0);
    }

    public static MapSpec hash(String name, int keySize, int valueSize, int maxEntries) {
        return new MapSpec(name, MapType.HASH, keySize, valueSize, maxEntries, 0);
    }

    public static MapSpec lpmTrie(String name, int dataBytes, int valueSize, int maxEntries) {
        return new MapSpec(name, MapType.LPM_TRIE, 4 + dataBytes, valueSize, maxEntries, F_NO_PREALLOC);
    }

    /** Per-CPU values are each rounded up to 8 bytes in the user-space view (as bpf(2) does). */
    public int perCpuStride() {
        return (valueSize + 7) & ~7;
    }
}
