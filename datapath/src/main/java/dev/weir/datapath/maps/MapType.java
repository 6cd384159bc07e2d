package dev.weir.datapath.maps;

/** The map types Weir uses, with the kernel's enum bpf_map_type numbers. */
public enum MapType {
    HASH(1), ARRAY(2), PROG_ARRAY(3), PERCPU_HASH(5), PERCPU_ARRAY(6), LRU_HASH(9), LPM_TRIE(11), RINGBUF(27);

    public final int id;

    MapType(int id) {
        this.id = id;
    }

    public boolean perCpu() {
        return this == PERCPU_HASH || this == PERCPU_ARRAY;
    }

    public boolean arrayLike() {
        return this == ARRAY || this == PERCPU_ARRAY || this == PROG_ARRAY;
    }

    public static MapType of(int id) {
        for (MapType t : values()) {
            if (t.id == id) return t;
        }
        throw new IllegalArgumentException("unsupported map type " + id);
    }
}
