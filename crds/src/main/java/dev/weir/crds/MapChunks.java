package dev.weir.crds;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Splits a map's entries into {@link WeirMapChunk} specs small enough for etcd, and joins them back.
 * Entries go to a bucket by a hash of their key, so adding or removing one entry changes one chunk and
 * leaves the others byte for byte equal (and so their content-addressed objects unwritten); the bucket
 * count, a power of two, grows only when the map does. Within a chunk, entries are in unsigned key order.
 */
public final class MapChunks {
    /** Hard limit of entry bytes per chunk: 768 KiB, about 1 MiB of base64, under etcd's 1.5 MiB request limit. */
    public static final int MAX_CHUNK_BYTES = 768 * 1024;
    /** Entry bytes a chunk aims at: small, so a one-entry change rewrites little. */
    public static final int TARGET_CHUNK_BYTES = 32 * 1024;

    private MapChunks() {}

    /** Unsigned specs (sign them with {@link dev.weir.crds.signing.Artifacts#sign}); none for an empty map. */
    public static List<WeirMapChunk.Spec> split(String map, int keySize, int valueSize, NavigableMap<byte[], byte[]> entries) {
        return split(map, keySize, valueSize, entries, TARGET_CHUNK_BYTES, MAX_CHUNK_BYTES);
    }

    public static List<WeirMapChunk.Spec> split(String map, int keySize, int valueSize, NavigableMap<byte[], byte[]> entries,
                                                int targetBytes, int maxBytes) {
        int record = keySize + valueSize;
        if (record > maxBytes) throw new IllegalArgumentException("map " + map + ": one entry exceeds " + maxBytes + " bytes");
        for (Map.Entry<byte[], byte[]> entry : entries.entrySet()) {
            if (entry.getKey().length != keySize || entry.getValue().length != valueSize) {
                throw new IllegalArgumentException("map " + map + ": an entry is not " + keySize + "+" + valueSize + " bytes");
            }
        }
        long total = (long) entries.size() * record;
        long wanted = Math.max(1, (total + targetBytes - 1) / targetBytes);
        int buckets = Integer.highestOneBit((int) Math.min(1 << 20, wanted));
        if (buckets < wanted) buckets <<= 1;
        while (true) {
            List<ByteArrayOutputStream> groups = spread(entries, buckets);
            if (groups.stream().allMatch(g -> g.size() <= maxBytes)) {
                var specs = new ArrayList<WeirMapChunk.Spec>();
                for (ByteArrayOutputStream group : groups) {
                    if (group.size() == 0) continue; // an empty bucket needs no object (an empty map has no chunk)
                    specs.add(new WeirMapChunk.Spec(map, keySize, valueSize, Base64.getEncoder().encodeToString(group.toByteArray()), null, null));
                }
                return specs;
            }
            buckets <<= 1; // an unlucky hash spread: more, smaller buckets
        }
    }

    private static List<ByteArrayOutputStream> spread(NavigableMap<byte[], byte[]> entries, int buckets) {
        var groups = new ArrayList<ByteArrayOutputStream>();
        for (int i = 0; i < buckets; i++) groups.add(new ByteArrayOutputStream());
        for (Map.Entry<byte[], byte[]> entry : entries.entrySet()) { // key order, so each bucket is in key order
            ByteArrayOutputStream group = groups.get(bucket(entry.getKey(), buckets));
            group.writeBytes(entry.getKey());
            group.writeBytes(entry.getValue());
        }
        return groups;
    }

    /** A fixed hash (FNV-1a, then a 32-bit finaliser), the same on every JVM. */
    static int bucket(byte[] key, int buckets) {
        int h = 0x811c9dc5;
        for (byte b : key) h = (h ^ (b & 0xff)) * 0x01000193;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h & (buckets - 1);
    }

    /**
     * The entries of one map's chunks, which must all be of {@code map} with its key and value sizes; a key
     * in two chunks is refused.
     */
    public static NavigableMap<byte[], byte[]> join(String map, int keySize, int valueSize, List<WeirMapChunk.Spec> chunks) {
        NavigableMap<byte[], byte[]> entries = new TreeMap<>(Arrays::compareUnsigned);
        int record = keySize + valueSize;
        for (WeirMapChunk.Spec chunk : chunks) {
            if (!map.equals(chunk.map()) || chunk.keySize() != keySize || chunk.valueSize() != valueSize) {
                throw new IllegalArgumentException("map " + map + " (" + keySize + "+" + valueSize + " bytes) was given a chunk of map "
                        + chunk.map() + " (" + chunk.keySize() + "+" + chunk.valueSize() + " bytes)");
            }
            byte[] bytes = Base64.getDecoder().decode(chunk.entries());
            if (bytes.length % record != 0) throw new IllegalArgumentException("map " + map + ": a chunk holds a partial entry");
            for (int at = 0; at < bytes.length; at += record) {
                byte[] key = Arrays.copyOfRange(bytes, at, at + keySize);
                if (entries.put(key, Arrays.copyOfRange(bytes, at + keySize, at + record)) != null) {
                    throw new IllegalArgumentException("map " + map + ": a key is in two chunks");
                }
            }
        }
        return entries;
    }
}
