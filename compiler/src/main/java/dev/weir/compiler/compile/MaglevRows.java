package dev.weir.compiler.compile;

import dev.weir.compiler.abi.LbMaps;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.services.Backend;
import dev.weir.compiler.services.Maglev;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The {@value LbMaps#MAGLEV} rows that the frontend and backend maps imply: for each Service port with
 * backends, the Maglev table of its backends (named by address and port), as backend ids. A node computes
 * them from the published maps rather than anyone publishing 64 KiB per Service port. A table takes about a
 * millisecond, so rows are kept by what they were made of and made again only when that changes: a node
 * applying a new state recomputes the Service ports whose backends changed, not every one.
 */
public final class MaglevRows {
    /** Per Service port id: the inputs of its last row (row length, first id, backend entries) and the row. */
    private final Map<Integer, Map.Entry<String, byte[]>> made = new HashMap<>();

    /**
     * @param backends ordered by unsigned key bytes (as {@link MapImage#entries} are)
     * @throws IllegalArgumentException when a frontend names a backend that is not there
     */
    public synchronized NavigableMap<byte[], byte[]> rows(Map<byte[], byte[]> services, NavigableMap<byte[], byte[]> backends,
                                                          int maglevSize) {
        check(services, backends);
        var rows = new TreeMap<byte[], byte[]>(Arrays::compareUnsigned);
        var used = new HashMap<Integer, Map.Entry<String, byte[]>>();
        for (byte[] value : services.values()) {
            var service = LbMaps.ServiceEntry.of(value);
            byte[] key = WeirMaps.u32(service.id());
            if (service.backends() == 0 || rows.containsKey(key)) continue;
            var entries = new ArrayList<byte[]>();
            var signature = new StringBuilder().append(maglevSize).append('/').append(service.firstBackend()).append('/');
            for (int id = service.firstBackend(); id < service.firstBackend() + service.backends(); id++) {
                byte[] entry = backends.get(WeirMaps.u32(id));
                entries.add(entry);
                signature.append(HexFormat.of().formatHex(entry));
            }
            Map.Entry<String, byte[]> last = made.get(service.id());
            byte[] row = last != null && last.getKey().contentEquals(signature) ? last.getValue()
                    : row(entries, service.firstBackend(), maglevSize);
            used.put(service.id(), Map.entry(signature.toString(), row));
            rows.put(key, row);
        }
        made.clear();
        made.putAll(used); // rows of Service ports gone are forgotten
        return rows;
    }

    /**
     * Checks that every frontend's backends are there (published maps come from elsewhere).
     *
     * @throws IllegalArgumentException naming the first frontend that names a missing backend
     */
    public static void check(Map<byte[], byte[]> services, NavigableMap<byte[], byte[]> backends) {
        for (byte[] value : services.values()) {
            var service = LbMaps.ServiceEntry.of(value);
            long first = Integer.toUnsignedLong(service.firstBackend());
            for (long id = first; id < first + service.backends(); id++) {
                if (!backends.containsKey(WeirMaps.u32((int) id))) {
                    throw new IllegalArgumentException("Service port " + service.id() + " names backend " + id + ", which is not in "
                            + LbMaps.BACKENDS);
                }
            }
        }
    }

    private static byte[] row(java.util.List<byte[]> entries, int firstBackend, int maglevSize) {
        var list = new ArrayList<Backend>();
        for (byte[] entry : entries) {
            var backend = LbMaps.BackendEntry.of(entry);
            list.add(new Backend(backend.ipv4(), backend.port(), null, null));
        }
        int[] table = Maglev.table(list, maglevSize);
        int[] ids = new int[table.length];
        for (int slot = 0; slot < table.length; slot++) ids[slot] = firstBackend + table[slot];
        return LbMaps.maglevRow(ids);
    }
}
