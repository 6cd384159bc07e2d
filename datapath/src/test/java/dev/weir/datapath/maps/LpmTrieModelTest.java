package dev.weir.datapath.maps;

import static dev.weir.datapath.maps.TestBytes.hex;
import static dev.weir.datapath.maps.TestBytes.u32;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Random updates, deletes and lookups on LPM tries of several data sizes, checked step by step
 * against a brute-force longest match over a plain list of prefixes. Addresses come from a few
 * seeds with random low bits, so prefixes nest and split often; small capacities reach ENOSPC.
 * Seeds may share their first bits (as IPv6 prefixes under one /32 do), which moves the trie's
 * root, and the jump table anchored there, deep into the data and across word boundaries.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a broken link can turn a walk into an endless loop
class LpmTrieModelTest {
    @ParameterizedTest(name = "{0} data bytes, {1} entries, seeds sharing {2} bits")
    @CsvSource({
        "4, 40, 0, 60000", "4, 3000, 0, 60000", "4, 3000, 12, 30000", "16, 40, 0, 30000", "16, 3000, 0, 30000",
        "16, 3000, 27, 30000", "16, 500, 60, 20000", "3, 20, 0, 30000", "5, 50, 0, 30000", "5, 1000, 25, 20000",
        "1, 8, 0, 10000"})
    void behavesLikeBruteForce(int dataSize, int capacity, int sharedBits, int operations) {
        MemoryMap map = MemoryMap.create(MapSpec.lpmTrie("model", dataSize, 4, capacity), 1);
        Model model = new Model(dataSize, capacity);
        Random random = new Random(7919L * dataSize + 31L * capacity + sharedBits);
        int maxLen = 8 * dataSize;
        byte[][] seeds = new byte[6][dataSize];
        random.nextBytes(seeds[0]);
        for (int i = 1; i < seeds.length; i++) {
            random.nextBytes(seeds[i]);
            for (int bit = 0; bit < sharedBits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                seeds[i][bit / 8] = (byte) ((seeds[i][bit / 8] & ~mask) | (seeds[0][bit / 8] & mask));
            }
        }

        for (int step = 0; step < operations; step++) {
            byte[] data = seeds[random.nextInt(seeds.length)].clone();
            int randomTail = random.nextInt(maxLen - sharedBits + 1); // bits from the end that are random
            for (int bit = maxLen - randomTail; bit < maxLen; bit++) {
                if (random.nextBoolean()) data[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            }
            int prefixLen = random.nextInt(10) == 0 ? random.nextInt(maxLen + 1) : maxLen - random.nextInt(Math.min(maxLen - sharedBits, 24) + 1);
            if (random.nextInt(50) == 0) prefixLen = maxLen + 1 + random.nextInt(3); // invalid
            byte[] key = TestBytes.concat(u32(prefixLen), data);
            String at = "step " + step + " key /" + prefixLen + " " + hex(data);
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    long flags = random.nextInt(10) == 0 ? 3 : random.nextInt(3);
                    int value = random.nextInt();
                    Errno expected = model.update(prefixLen, data, flags, value);
                    assertThat(map.updateFrom(key, 0, u32(value), 0, flags, 0)).as(at).isEqualTo(expected == null ? 0 : -expected.code);
                }
                case 2 -> assertThat(map.deleteFrom(key, 0)).as(at).isEqualTo(model.delete(prefixLen, data));
                default -> {
                    Integer expected = model.longestMatch(prefixLen, data);
                    int offset = map.lookupFrom(key, 0, 0);
                    assertThat(offset < 0 ? null : Bytes.u32(map.valueStore(), offset)).as(at).isEqualTo(expected);
                    assertThat(map.lookup(key).map(v -> Bytes.u32(v, 0)).orElse(null)).as(at).isEqualTo(expected);
                }
            }
            if (step % 1_000 == 0 || step == operations - 1) {
                assertThat(LpmTrieMapTest.keys(map)).as(at).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(model.storedKeys());
                assertThat(((LpmTrieMap) map).size()).as(at).isEqualTo(model.entries.size());
            }
        }
    }

    private static final class Model {
        record Entry(int prefixLen, byte[] storedData, int value) {
        }

        final int dataSize, capacity;
        final Map<String, Entry> entries = new HashMap<>(); // by prefix length and masked data

        Model(int dataSize, int capacity) {
            this.dataSize = dataSize;
            this.capacity = capacity;
        }

        Errno update(int prefixLen, byte[] data, long flags, int value) {
            if (flags > BpfMap.EXIST) return Errno.EINVAL;
            if (prefixLen > 8 * dataSize) return Errno.EINVAL;
            String id = id(prefixLen, data);
            boolean exists = entries.containsKey(id);
            if (exists && flags == BpfMap.NOEXIST) return Errno.EEXIST;
            if (!exists && flags == BpfMap.EXIST) return Errno.ENOENT;
            if (!exists && entries.size() == capacity) return Errno.ENOSPC;
            entries.put(id, new Entry(prefixLen, data.clone(), value));
            return null;
        }

        int delete(int prefixLen, byte[] data) {
            if (prefixLen > 8 * dataSize) return -Errno.EINVAL.code;
            return entries.remove(id(prefixLen, data)) == null ? -Errno.ENOENT.code : 0;
        }

        Integer longestMatch(int prefixLen, byte[] data) {
            if (prefixLen > 8 * dataSize) return null;
            Entry best = null;
            for (Entry e : entries.values()) {
                if (e.prefixLen <= prefixLen && (best == null || e.prefixLen > best.prefixLen)
                        && samePrefix(e.storedData, data, e.prefixLen)) {
                    best = e;
                }
            }
            return best == null ? null : best.value;
        }

        Iterable<String> storedKeys() {
            return entries.values().stream().map(e -> hex(TestBytes.concat(u32(e.prefixLen), e.storedData))).toList();
        }

        private static boolean samePrefix(byte[] a, byte[] b, int bits) {
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) return false;
            }
            return true;
        }

        /** The prefix length and the data with every bit past it cleared. */
        private String id(int prefixLen, byte[] data) {
            byte[] masked = Arrays.copyOf(data, data.length);
            for (int bit = prefixLen; bit < 8 * dataSize; bit++) masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            return prefixLen + "/" + hex(masked);
        }
    }
}
