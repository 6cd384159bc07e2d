package dev.weir.datapath.kernel;

import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.maps.MapType;

/** What the kernel reports about a map (struct bpf_map_info). */
public record MapInfo(int id, int type, String name, int keySize, int valueSize, int maxEntries, int flags) {
    private static final int SIZE = 88;
    private static final int TYPE = 0, ID = 4, KEY_SIZE = 8, VALUE_SIZE = 12, MAX_ENTRIES = 16, MAP_FLAGS = 20, NAME = 24;

    static MapInfo of(int fd, String context) {
        ObjectInfo info = ObjectInfo.read(fd, SIZE, context);
        return new MapInfo(info.u32(ID), info.u32(TYPE), info.name(NAME), info.u32(KEY_SIZE), info.u32(VALUE_SIZE),
                info.u32(MAX_ENTRIES), info.u32(MAP_FLAGS));
    }

    /** The spec the map was created from; throws IllegalArgumentException for a type Weir does not use. */
    public MapSpec spec() {
        return new MapSpec(name, MapType.of(type), keySize, valueSize, maxEntries, flags);
    }
}
