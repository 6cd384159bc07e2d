package dev.weir.datapath.kernel;

import static dev.weir.datapath.kernel.LittleEndian.lpmKey;
import static dev.weir.datapath.kernel.LittleEndian.u32;
import static dev.weir.datapath.kernel.LittleEndian.u64;
import static dev.weir.datapath.maps.BpfMap.ANY;
import static dev.weir.datapath.maps.BpfMap.EXIST;
import static dev.weir.datapath.maps.BpfMap.NOEXIST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.datapath.maps.MapException;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.maps.MapType;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Maps in the real kernel through the {@link dev.weir.datapath.maps.BpfMap} view. */
@KernelTest
class KernelMapTest {
    private final List<KernelMap> maps = new ArrayList<>();

    @AfterEach
    void closeMaps() {
        maps.forEach(KernelMap::close);
    }

    private KernelMap create(MapSpec spec) {
        KernelMap map = KernelMap.create(spec);
        maps.add(map);
        return map;
    }

    static MapSpec specFor(MapType type) {
        String name = "t_" + type.name().toLowerCase();
        return switch (type) {
            case HASH, PERCPU_HASH, LRU_HASH -> new MapSpec(name, type, 4, 8, 16, 0);
            case ARRAY, PERCPU_ARRAY -> new MapSpec(name, type, 4, 8, 16, 0);
            case PROG_ARRAY -> new MapSpec(name, type, 4, 4, 16, 0);
            case LPM_TRIE -> MapSpec.lpmTrie(name, 4, 4, 16);
            case RINGBUF -> new MapSpec(name, type, 0, 0, 4096, 0);
        };
    }

    @ParameterizedTest
    @EnumSource(MapType.class)
    void createsEveryMapTypeAsSpecified(MapType type) {
        MapSpec spec = specFor(type);
        KernelMap map = create(spec);

        MapInfo info = map.info();
        assertThat(info.id()).isPositive();
        assertThat(info.spec()).isEqualTo(spec);
    }

    @Test
    void hashRoundTrip() {
        KernelMap map = create(MapSpec.hash("rt_hash", 4, 8, 8));
        assertThat(map.lookup(u32(1))).isEmpty();

        map.update(u32(1), u64(100), NOEXIST);
        map.update(u32(2), u64(200), ANY);
        map.update(u32(1), u64(101), EXIST);

        assertThat(map.lookup(u32(1))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u64(101)));
        assertThat(keys(map)).containsExactlyInAnyOrder(hex(u32(1)), hex(u32(2)));
        assertThat(map.nextKey(u32(99))).as("an absent key restarts iteration").isPresent();

        map.delete(u32(1));
        assertThat(map.lookup(u32(1))).isEmpty();
        assertThat(keys(map)).containsExactly(hex(u32(2)));
    }

    @Test
    void arrayHasEveryIndexFromTheStart() {
        KernelMap map = create(MapSpec.array("rt_array", 8, 4));
        assertThat(map.lookup(u32(3))).hasValueSatisfying(v -> assertThat(v).isEqualTo(new byte[8]));
        assertThat(map.lookup(u32(4))).as("past the end").isEmpty();

        map.update(u32(3), u64(7), ANY);

        assertThat(map.lookup(u32(3))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u64(7)));
        assertThat(keys(map)).containsExactly(hex(u32(0)), hex(u32(1)), hex(u32(2)), hex(u32(3)));
        assertThat(map.nextKey(u32(3))).isEmpty();
    }

    @Test
    void perCpuValuesAreOnePaddedValuePerPossibleCpu() {
        int cpus = PossibleCpus.count();
        KernelMap array = create(new MapSpec("pc_array", MapType.PERCPU_ARRAY, 4, 4, 2, 0));
        KernelMap hash = create(new MapSpec("pc_hash", MapType.PERCPU_HASH, 4, 4, 2, 0));
        byte[] value = new byte[cpus * 8]; // 4-byte values, each padded to 8
        for (int cpu = 0; cpu < cpus; cpu++) value[cpu * 8] = (byte) (10 + cpu);

        array.update(u32(1), value, ANY);
        hash.update(u32(1), value, ANY);

        assertThat(array.lookup(u32(1))).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
        assertThat(hash.lookup(u32(1))).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
        assertThatThrownBy(() -> hash.update(u32(2), new byte[4], ANY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(cpus + " CPUs x 8");
    }

    @Test
    void lpmTrieFindsTheLongestPrefix() {
        KernelMap trie = create(MapSpec.lpmTrie("rt_lpm", 4, 4, 8));
        trie.update(lpmKey(8, 10, 0, 0, 0), u32(1), ANY);
        trie.update(lpmKey(16, 10, 1, 0, 0), u32(2), ANY);

        assertThat(trie.lookup(lpmKey(32, 10, 1, 2, 3))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u32(2)));
        assertThat(trie.lookup(lpmKey(32, 10, 2, 0, 0))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u32(1)));
        assertThat(trie.lookup(lpmKey(32, 11, 0, 0, 0))).isEmpty();
        assertThat(keys(trie)).containsExactlyInAnyOrder(hex(lpmKey(8, 10, 0, 0, 0)), hex(lpmKey(16, 10, 1, 0, 0)));

        trie.delete(lpmKey(16, 10, 1, 0, 0));
        assertThat(trie.lookup(lpmKey(32, 10, 1, 2, 3))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u32(1)));
    }

    @Test
    void lruHashEvictsInsteadOfRefusing() {
        KernelMap lru = create(new MapSpec("rt_lru", MapType.LRU_HASH, 4, 8, 64, 0));
        for (int i = 0; i < 1000; i++) lru.update(u32(i), u64(i), ANY);

        assertThat(keys(lru)).hasSizeLessThanOrEqualTo(64).contains(hex(u32(999)));
    }

    @Test
    void progArrayLookupGivesTheProgramId() {
        KernelMap jumps = create(TestPrograms.jumpsSpec());
        try (KernelProgram program = KernelProgram.load(TestPrograms.xdpReturning("jump_target", 2))) {
            jumps.setProgram(1, program);

            // Unlike the interpreter's ProgArrayMap (ENOTSUPP), the kernel answers with the program's id.
            assertThat(jumps.lookup(u32(1))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u32(program.info().id())));

            jumps.clearProgram(1);
            assertThat(jumps.lookup(u32(1))).isEmpty();
        }
    }

    @Test
    void batchLookupReturnsEveryEntry() {
        KernelMap hash = create(MapSpec.hash("batch_hash", 4, 8, 2048));
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < 1500; i++) {
            hash.update(u32(i * 7), u64(i), ANY);
            expected.put(hex(u32(i * 7)), hex(u64(i)));
        }

        List<MapEntry> entries = hash.lookupBatch();

        assertThat(entries).hasSize(1500);
        assertThat(asHexMap(entries)).isEqualTo(expected);
    }

    @Test
    void batchLookupOfArraysPerCpuMapsAndTries() {
        int cpus = PossibleCpus.count();
        KernelMap array = create(MapSpec.array("batch_array", 4, 5000)); // more than one chunk
        KernelMap perCpu = create(new MapSpec("batch_pc", MapType.PERCPU_HASH, 4, 8, 16, 0));
        KernelMap trie = create(MapSpec.lpmTrie("batch_lpm", 4, 4, 16));
        array.update(u32(4321), u32(5), ANY);
        perCpu.update(u32(9), new byte[cpus * 8], ANY);
        trie.update(lpmKey(24, 192, 168, 1, 0), u32(3), ANY);
        trie.update(lpmKey(32, 192, 168, 1, 1), u32(4), ANY);

        List<MapEntry> arrayEntries = array.lookupBatch();
        assertThat(arrayEntries).hasSize(5000);
        assertThat(arrayEntries.get(4321).value()).isEqualTo(u32(5));
        assertThat(perCpu.lookupBatch()).singleElement()
                .satisfies(e -> assertThat(e.value()).hasSize(cpus * 8));
        assertThat(asHexMap(trie.lookupBatch())).containsOnlyKeys(hex(lpmKey(24, 192, 168, 1, 0)), hex(lpmKey(32, 192, 168, 1, 1)));
    }

    @Test
    void batchLookupOfAnEmptyMapIsEmpty() {
        assertThat(create(MapSpec.hash("batch_empty", 4, 4, 8)).lookupBatch()).isEmpty();
    }

    @Test
    void keysAndValuesOfTheWrongSizeAreRefusedBeforeTheKernel() {
        KernelMap map = create(MapSpec.hash("sizes", 4, 8, 4));
        assertThatThrownBy(() -> map.lookup(new byte[3])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> map.update(u32(1), new byte[4], ANY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createRefusedByTheKernelNamesCommandErrnoAndMap() {
        // Hash values must fit in one kmalloc (4 MiB here); keys may be larger than any program stack.
        MapSpec huge = MapSpec.hash("huge_value", 4, 8 << 20, 4);

        assertThatThrownBy(() -> create(huge))
                .isInstanceOfSatisfying(BpfException.class, e -> {
                    assertThat(e.command()).isEqualTo(BpfCommand.MAP_CREATE);
                    assertThat(e.errnoName()).isEqualTo("E2BIG");
                    assertThat(e.errno()).isEqualTo(7);
                    assertThat(e.context()).contains("huge_value");
                })
                .hasMessage("BPF_MAP_CREATE (map 'huge_value' (HASH)) failed: E2BIG (7)");
    }

    @Test
    void namesTheKernelWouldRefuseAreRefusedUpFront() {
        assertThatThrownBy(() -> create(MapSpec.hash("no-dashes", 4, 4, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'-'");
    }

    @Test
    void useAfterCloseThrows() {
        KernelMap map = KernelMap.create(MapSpec.hash("closed", 4, 4, 4));
        map.close();
        map.close(); // idempotent

        assertThatThrownBy(() -> map.lookup(u32(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void refusalsCarryTheKernelCall() {
        KernelMap map = create(MapSpec.hash("cause", 4, 4, 4));
        assertThatThrownBy(() -> map.delete(u32(1)))
                .isInstanceOf(MapException.class)
                .hasMessage("delete on map 'cause' (HASH) (ENOENT)")
                .cause().isInstanceOf(BpfException.class).hasMessageContaining("BPF_MAP_DELETE_ELEM");
    }

    /** Keys in the kernel's iteration order. */
    static List<String> keys(KernelMap map) {
        List<String> keys = new ArrayList<>();
        for (Optional<byte[]> k = map.nextKey(null); k.isPresent(); k = map.nextKey(k.get())) keys.add(hex(k.get()));
        return keys;
    }

    static Map<String, String> asHexMap(List<MapEntry> entries) {
        Map<String, String> map = new TreeMap<>();
        entries.forEach(e -> map.put(hex(e.key()), hex(e.value())));
        return map;
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
