package dev.weir.compiler.compile;

import dev.weir.compiler.abi.LbMaps;
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
    /** The Maglev rows' length, 0 while the image has none to derive; the rows are made when first read. */
    private int maglevSize;
    private boolean maglevDerived;

    MapImage() {
        for (String name : WeirMaps.NAMES) {
            maps.put(name, new TreeMap<>(Arrays::compareUnsigned));
        }
    }

    void put(String map, byte[] key, byte[] value) {
        maps.get(map).put(key, value);
        changed(map);
    }

    void remove(String map, byte[] key) {
        maps.get(map).remove(key);
        changed(map);
    }

    /**
     * The Maglev rows follow from the frontends and backends: made on first read, so that whoever never
     * reads them (the operator, which publishes the other two) never pays for them.
     */
    void deriveMaglevRows(int size) {
        maglevSize = size;
        changed(LbMaps.SERVICES);
    }

    private void changed(String map) {
        if (map.equals(LbMaps.SERVICES) || map.equals(LbMaps.BACKENDS)) maglevDerived = false;
    }

    private synchronized NavigableMap<byte[], byte[]> map(String name) {
        NavigableMap<byte[], byte[]> entries = maps.get(name);
        if (entries == null) throw new IllegalArgumentException("no Weir map named " + name);
        if (name.equals(LbMaps.MAGLEV) && maglevSize > 0 && !maglevDerived) {
            entries.clear();
            entries.putAll(new MaglevRows().rows(maps.get(LbMaps.SERVICES), maps.get(LbMaps.BACKENDS), maglevSize));
            maglevDerived = true;
        }
        return entries;
    }

    MapImage copy() {
        MapImage copy = new MapImage();
        maps.forEach((name, entries) -> copy.maps.get(name).putAll(entries));
        copy.maglevSize = maglevSize;
        copy.maglevDerived = maglevDerived;
        return copy;
    }

    /** The entries of one map, read-only. */
    public NavigableMap<byte[], byte[]> entries(String map) {
        return Collections.unmodifiableNavigableMap(map(map));
    }

    public int size(String map) {
        return map(map).size();
    }

    /** Writes every entry into {@code target} (interpreter or kernel map of the same spec). */
    public void fill(String map, BpfMap target) {
        entries(map).forEach((key, value) -> target.update(key, value, 0));
    }
}
