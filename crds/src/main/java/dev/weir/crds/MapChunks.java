package dev.weir.crds;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Splits a map's entries into {@link WeirMapChunk} specs small enough for etcd, and joins them back. Entries
 * are fixed-size key-value records, in unsigned key order, so the split is deterministic.
 */
public final class MapChunks {
    /** Entry bytes per chunk: 768 KiB, about 1 MiB of base64, under etcd's 1.5 MiB request limit. */
    public static final int MAX_CHUNK_BYTES = 768 * 1024;

    private MapChunks() {}

    /** Unsigned specs (sign them with {@link dev.weir.crds.signing.Artifacts#sign}); one chunk for an empty map. */
    public static List<WeirMapChunk.Spec> split(String map, long generation, int keySize, int valueSize,
                                                NavigableMap<byte[], byte[]> entries, int maxChunkBytes) {
        int perChunk = Math.max(1, maxChunkBytes / (keySize + valueSize));
        var groups = new ArrayList<ByteArrayOutputStream>();
        int inGroup = perChunk;
        for (Map.Entry<byte[], byte[]> entry : entries.entrySet()) {
            if (entry.getKey().length != keySize || entry.getValue().length != valueSize) {
                throw new IllegalArgumentException("map " + map + ": an entry is not " + keySize + "+" + valueSize + " bytes");
            }
            if (inGroup == perChunk) {
                groups.add(new ByteArrayOutputStream());
                inGroup = 0;
            }
            groups.getLast().writeBytes(entry.getKey());
            groups.getLast().writeBytes(entry.getValue());
            inGroup++;
        }
        if (groups.isEmpty()) groups.add(new ByteArrayOutputStream());
        var specs = new ArrayList<WeirMapChunk.Spec>();
        for (int i = 0; i < groups.size(); i++) {
            specs.add(new WeirMapChunk.Spec(map, generation, i, groups.size(), keySize, valueSize,
                    Base64.getEncoder().encodeToString(groups.get(i).toByteArray()), null, null));
        }
        return specs;
    }

    /** The entries of a complete, consistent set of chunks (all of one map and generation, each index once). */
    public static NavigableMap<byte[], byte[]> join(List<WeirMapChunk.Spec> chunks) {
        if (chunks.isEmpty()) throw new IllegalArgumentException("no chunks");
        WeirMapChunk.Spec first = chunks.getFirst();
        var byIndex = new WeirMapChunk.Spec[first.count()];
        for (WeirMapChunk.Spec chunk : chunks) {
            if (!chunk.map().equals(first.map()) || chunk.generation() != first.generation() || chunk.count() != first.count()
                    || chunk.keySize() != first.keySize() || chunk.valueSize() != first.valueSize()) {
                throw new IllegalArgumentException("chunks of different maps or generations: " + first.map() + "/" + first.generation()
                        + " and " + chunk.map() + "/" + chunk.generation());
            }
            if (chunk.index() < 0 || chunk.index() >= first.count() || byIndex[chunk.index()] != null) {
                throw new IllegalArgumentException("map " + first.map() + " generation " + first.generation() + ": chunk " + chunk.index() + " is out of range or repeated");
            }
            byIndex[chunk.index()] = chunk;
        }
        NavigableMap<byte[], byte[]> entries = new TreeMap<>(java.util.Arrays::compareUnsigned);
        int record = first.keySize() + first.valueSize();
        for (int i = 0; i < byIndex.length; i++) {
            if (byIndex[i] == null) throw new IllegalArgumentException("map " + first.map() + " generation " + first.generation() + ": chunk " + i + " is missing");
            byte[] bytes = Base64.getDecoder().decode(byIndex[i].entries());
            if (bytes.length % record != 0) throw new IllegalArgumentException("map " + first.map() + ": chunk " + i + " holds a partial entry");
            for (int at = 0; at < bytes.length; at += record) {
                entries.put(java.util.Arrays.copyOfRange(bytes, at, at + first.keySize()),
                        java.util.Arrays.copyOfRange(bytes, at + first.keySize(), at + record));
            }
        }
        return entries;
    }
}
