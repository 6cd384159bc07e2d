package dev.weir.compiler.compile;

import dev.weir.compiler.abi.WeirMaps;
import dev.weir.datapath.maps.BpfMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The entries the compiler wants in each Weir map (connection tracking starts empty), keys in unsigned byte
 * order so the image, its printout and its loading are deterministic.
 */
public final class MapImage {

    private final Map<String, NavigableMap<byte[], byte[]>> maps = new LinkedHashMap<>();

    MapImage() {
        for (String name : WeirMaps.NAMES) {
            maps.put(name, new TreeMap<>(Arrays::compareUnsigned));
        }
    }

    void put(String map, byte[] key, byte[] value) {
        maps.get(map).put(key, value);
    }

    void remove(String map, byte[] key) {
        maps.get(map).remove(key);
    }

    MapImage copy() {
        MapImage copy = new MapImage();
        maps.forEach((name, entries) -> copy.maps.get(name).putAll(entries));
        return copy;
    }

    /** The entries of one map, read-only. */
    public NavigableMap<byte[], byte[]> entries(String map) {
        NavigableMap<byte[], byte[]> entries = maps.get(map);
        if (entries == null) throw new IllegalArgumentException("no Weir map named " + map);
        return Collections.unmodifiableNavigableMap(entries);
    }

    public int size(String map) {
        return maps.get(map).size();
    }

    /** Writes every entry into {@code target} (interpreter or kernel map of the same spec). */
    public void fill(String map, BpfMap target) {
        entries(map).forEach((key, value) -> target.update(key, value, 0));
    }
}
