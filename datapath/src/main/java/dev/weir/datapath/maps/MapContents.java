package dev.weir.datapath.maps;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Snapshots of a map's contents as text, the same for a map in the interpreter and one in the
 * kernel, so tests can compare them and print readable differences.
 */
public final class MapContents {
    private MapContents() {
    }

    /**
     * Every key of the map, as lowercase hex, mapped to its value as hex, sorted by key: what
     * BPF_MAP_GET_NEXT_KEY and BPF_MAP_LOOKUP_ELEM see. Per-CPU values are all CPUs' values
     * concatenated; LPM keys are prefix length and data as last written. Program arrays and ring
     * buffers have no contents to compare and are refused.
     *
     * @throws IllegalStateException when iteration revisits a key, as it can when the map changes
     *     during the snapshot
     */
    public static SortedMap<String, String> snapshot(BpfMap map) {
        MapType type = map.spec().type();
        if (type == MapType.PROG_ARRAY || type == MapType.RINGBUF) {
            throw new IllegalArgumentException("map '" + map.spec().name() + "' (" + type + ") has no key/value contents");
        }
        SortedMap<String, String> contents = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (Optional<byte[]> key = map.nextKey(null); key.isPresent(); key = map.nextKey(key.get())) {
            String hexKey = Bytes.hex(key.get());
            if (!seen.add(hexKey)) {
                throw new IllegalStateException("map '" + map.spec().name() + "': iteration came back to key " + hexKey);
            }
            // A key deleted between nextKey and lookup is simply no longer there.
            map.lookup(key.get()).ifPresent(value -> contents.put(hexKey, Bytes.hex(value)));
        }
        return contents;
    }
}
