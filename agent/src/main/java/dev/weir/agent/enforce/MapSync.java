package dev.weir.agent.enforce;

import dev.weir.compiler.abi.Conntrack;
import dev.weir.compiler.abi.LbMaps;
import dev.weir.compiler.compile.MaglevRows;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.datapath.kernel.KernelMap;
import dev.weir.datapath.kernel.MapEntry;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.maps.MapType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.logging.Logger;

/** Bringing the kernel's maps to a published state, by difference. */
final class MapSync {
    private static final Logger LOG = Logger.getLogger(MapSync.class.getName());

    private MapSync() {}

    static List<KernelMap> create(List<MapSpec> specs) {
        var created = new ArrayList<KernelMap>();
        try {
            for (MapSpec spec : specs) created.add(KernelMap.create(spec));
            return created;
        } catch (RuntimeException e) {
            created.forEach(KernelMap::close);
            throw e;
        }
    }

    static KernelMap named(List<KernelMap> maps, String name) {
        for (KernelMap map : maps) if (map.spec().name().equals(name)) return map;
        return null;
    }

    static NavigableMap<byte[], byte[]> empty() {
        return new TreeMap<>(Arrays::compareUnsigned);
    }

    /**
     * What a synced map must hold: its published contents, or for the Maglev rows what the published
     * frontends and backends imply (at the row length of the node's map).
     */
    static NavigableMap<byte[], byte[]> desired(VerifiedNode state, String name, KernelMap map, MaglevRows maglev) {
        if (name.equals(LbMaps.MAGLEV)) {
            return maglev.rows(state.contents().getOrDefault(LbMaps.SERVICES, empty()),
                    state.contents().getOrDefault(LbMaps.BACKENDS, empty()), map.spec().valueSize() / 4);
        }
        return state.contents().getOrDefault(name, empty());
    }

    /** Writes what differs; returns the keys the map holds that {@code desired} does not. */
    static List<byte[]> upsert(KernelMap map, NavigableMap<byte[], byte[]> desired) {
        var existing = new TreeMap<byte[], byte[]>(Arrays::compareUnsigned);
        for (MapEntry entry : map.lookupBatch()) existing.put(entry.key(), entry.value());
        for (Map.Entry<byte[], byte[]> entry : desired.entrySet()) {
            byte[] now = existing.get(entry.getKey());
            if (now == null || !Arrays.equals(now, entry.getValue())) map.update(entry.getKey(), entry.getValue(), 0);
        }
        var stale = new ArrayList<byte[]>();
        boolean array = map.spec().type() == MapType.ARRAY;
        byte[] zero = new byte[map.spec().valueSize()];
        for (Map.Entry<byte[], byte[]> entry : existing.entrySet()) {
            if (!desired.containsKey(entry.getKey()) && !(array && Arrays.equals(entry.getValue(), zero))) stale.add(entry.getKey());
        }
        return stale;
    }

    /** Array slots cannot be deleted (EINVAL): they are zeroed, which the programs read as absent. */
    static void remove(KernelMap map, List<byte[]> keys) {
        if (keys == null) return;
        boolean array = map.spec().type() == MapType.ARRAY;
        for (byte[] key : keys) {
            if (array) map.update(key, new byte[map.spec().valueSize()], 0);
            else if (map.lookup(key).isPresent()) map.delete(key);
        }
    }

    /** Established connections carry over to a new conntrack map (its key and value never change size). */
    static void copyConnections(KernelMap from, KernelMap to) {
        if (from == null || to == null) return;
        for (MapEntry entry : from.lookupBatch()) {
            try {
                to.update(entry.key(), entry.value(), 0);
            } catch (RuntimeException e) {
                LOG.warning("a connection did not carry over to the new conntrack map: " + e.getMessage());
                return;
            }
        }
    }

    /** Connections of addresses that left the ipcache or changed identity are forgotten. */
    static void forgetConnections(VerifiedNode before, VerifiedNode after, KernelMap conntrack) {
        if (conntrack == null) return;
        NavigableMap<byte[], byte[]> old = before.contents().getOrDefault(WeirMaps.IPCACHE, empty());
        NavigableMap<byte[], byte[]> now = after.contents().getOrDefault(WeirMaps.IPCACHE, empty());
        for (Map.Entry<byte[], byte[]> entry : old.entrySet()) {
            byte[] current = now.get(entry.getKey());
            if (current == null || !Arrays.equals(current, entry.getValue())) {
                Conntrack.forget(conntrack, ByteBuffer.wrap(entry.getKey()).getInt());
            }
        }
    }

    /** Empties the endpoint slots of interfaces that no longer run a policy's programs. */
    static void clearUnusedSlots(KernelMap endpointTable, java.util.Collection<PodHooks> hooks) {
        if (endpointTable == null) return;
        var used = new java.util.HashSet<String>();
        hooks.stream().filter(h -> !h.pending())
                .forEach(h -> used.add(java.util.HexFormat.of().formatHex(WeirMaps.endpointKey(h.ifindex))));
        byte[] zero = new byte[endpointTable.spec().valueSize()];
        for (MapEntry entry : endpointTable.lookupBatch()) {
            if (!Arrays.equals(entry.value(), zero) && !used.contains(java.util.HexFormat.of().formatHex(entry.key()))) {
                endpointTable.update(entry.key(), zero, 0);
            }
        }
    }
}
