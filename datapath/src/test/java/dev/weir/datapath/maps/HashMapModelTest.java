package dev.weir.datapath.maps;

import static dev.weir.datapath.maps.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.SequencedSet;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 100,000 random operations on each hash map type, checked step by step against a model built on
 * java.util collections: values, return codes, LRU eviction, per-CPU layout and iteration.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a broken link can turn a walk into an endless loop
class HashMapModelTest {
    private static final int KEY_SIZE = 6, VALUE_SIZE = 12, STRIDE = 16, CPUS = 3, CAPACITY = 64, KEY_SPACE = 160;
    private static final int OPERATIONS = 100_000;

    @ParameterizedTest
    @EnumSource(value = MapType.class, names = {"HASH", "PERCPU_HASH", "LRU_HASH"})
    void behavesLikeTheModel(MapType type) {
        MemoryMap map = MemoryMap.create(new MapSpec("model", type, KEY_SIZE, VALUE_SIZE, CAPACITY, 0), CPUS);
        Model model = new Model(type);
        Random random = new Random(20251124L + type.id);
        for (int step = 0; step < OPERATIONS; step++) {
            byte[] key = keyOf(random.nextInt(KEY_SPACE));
            String k = hex(key);
            String at = type + " step " + step + " key " + k;
            switch (random.nextInt(8)) {
                case 0, 1 -> { // user-space update
                    long flags = randomFlags(random);
                    byte[] value = new byte[model.userLength()];
                    random.nextBytes(value);
                    assertThat(errnoOf(() -> map.update(key, value, flags))).as(at).isEqualTo(model.update(k, flags, value, -1));
                }
                case 2, 3 -> { // a program's update, from a key and value inside larger buffers
                    long flags = randomFlags(random);
                    int cpu = random.nextInt(CPUS);
                    byte[] memory = new byte[64];
                    random.nextBytes(memory);
                    System.arraycopy(key, 0, memory, 3, KEY_SIZE);
                    int result = map.updateFrom(memory, 3, memory, 20, flags, cpu);
                    Errno expected = model.update(k, flags, Arrays.copyOfRange(memory, 20, 20 + VALUE_SIZE), cpu);
                    assertThat(result).as(at).isEqualTo(expected == null ? 0 : -expected.code);
                }
                case 4 -> { // delete, from user space or a program
                    Errno expected = model.delete(k);
                    if (random.nextBoolean()) {
                        assertThat(errnoOf(() -> map.delete(key))).as(at).isEqualTo(expected);
                    } else {
                        assertThat(map.deleteFrom(key, 0)).as(at).isEqualTo(expected == null ? 0 : -expected.code);
                    }
                }
                case 5 -> assertThat(map.lookup(key).map(TestBytes::hex).orElse(null)).as(at).isEqualTo(model.userView(k));
                default -> { // a program's lookup: the value at the returned offset, for its CPU
                    int cpu = random.nextInt(CPUS);
                    int offset = map.lookupFrom(key, 0, cpu);
                    byte[] expected = model.programLookup(k, cpu);
                    if (expected == null) {
                        assertThat(offset).as(at).isEqualTo(-1);
                    } else {
                        assertThat(hex(Arrays.copyOfRange(map.valueStore(), offset, offset + VALUE_SIZE))).as(at).isEqualTo(hex(expected));
                    }
                }
            }
            if (step % 2_000 == 0 || step == OPERATIONS - 1) {
                assertThat(HashTableMapTest.keys(map)).as(at).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(model.values.keySet());
                assertThat(((HashTableMap) map).size()).as(at).isEqualTo(model.values.size());
            }
        }
    }

    private static long randomFlags(Random random) {
        int r = random.nextInt(20);
        return r < 12 ? BpfMap.ANY : r < 15 ? BpfMap.NOEXIST : r < 19 ? BpfMap.EXIST : 3 + random.nextInt(5);
    }

    private static byte[] keyOf(int n) {
        return new byte[] {(byte) n, (byte) (n >> 8), 0x5a, 0, (byte) (n * 7), 1};
    }

    private static Errno errnoOf(Runnable operation) {
        try {
            operation.run();
            return null;
        } catch (MapException e) {
            return e.errno();
        }
    }

    /** The kernel's rules, spelled out over plain collections. */
    private static final class Model {
        final MapType type;
        final Map<String, byte[]> values = new HashMap<>(); // per-CPU: CPUS * STRIDE bytes, as user space sees them
        final SequencedSet<String> recency = new LinkedHashSet<>(); // eldest first

        Model(MapType type) {
            this.type = type;
        }

        int userLength() {
            return type.perCpu() ? CPUS * STRIDE : VALUE_SIZE;
        }

        /** cpu -1: a user-space update of every CPU's value. */
        Errno update(String key, long flags, byte[] value, int cpu) {
            if (flags > BpfMap.EXIST || flags < 0) return Errno.EINVAL;
            byte[] current = values.get(key);
            if (current != null && flags == BpfMap.NOEXIST) return Errno.EEXIST;
            if (current == null && flags == BpfMap.EXIST) return Errno.ENOENT;
            if (current == null) {
                if (values.size() == CAPACITY) {
                    if (type != MapType.LRU_HASH) return Errno.E2BIG;
                    values.remove(recency.removeFirst());
                }
                current = new byte[userLength()];
                values.put(key, current);
            }
            if (cpu < 0) System.arraycopy(value, 0, current, 0, userLength());
            else System.arraycopy(value, 0, current, type.perCpu() ? cpu * STRIDE : 0, VALUE_SIZE);
            use(key);
            return null;
        }

        Errno delete(String key) {
            recency.remove(key);
            return values.remove(key) == null ? Errno.ENOENT : null;
        }

        String userView(String key) {
            byte[] value = values.get(key);
            return value == null ? null : hex(value);
        }

        byte[] programLookup(String key, int cpu) {
            byte[] value = values.get(key);
            if (value == null) return null;
            use(key);
            int from = type.perCpu() ? cpu * STRIDE : 0;
            return Arrays.copyOfRange(value, from, from + VALUE_SIZE);
        }

        private void use(String key) {
            recency.remove(key);
            recency.addLast(key);
        }
    }
}
