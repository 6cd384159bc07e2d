package dev.weir.datapath.kernel;

import static dev.weir.datapath.kernel.LittleEndian.lpmKey;
import static dev.weir.datapath.kernel.LittleEndian.u32;
import static dev.weir.datapath.kernel.LittleEndian.u64;
import static dev.weir.datapath.maps.BpfMap.ANY;
import static dev.weir.datapath.maps.BpfMap.EXIST;
import static dev.weir.datapath.maps.BpfMap.NOEXIST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.datapath.maps.BpfMap;
import dev.weir.datapath.maps.Errno;
import dev.weir.datapath.maps.MapContents;
import dev.weir.datapath.maps.MapException;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.maps.MapType;
import dev.weir.datapath.maps.MemoryMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same operations on a kernel map and on the interpreter's map of the same spec: the kernel
 * refuses with the errno the in-memory maps are written to give, and both end with the same
 * contents.
 */
@KernelTest
class MapErrnoTest {

    /** {@code setup} must succeed on both; {@code refused} must fail on both with {@code errno}. */
    record Case(String name, MapSpec spec, Consumer<BpfMap> setup, Consumer<BpfMap> refused, Errno errno) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        MapSpec hash = MapSpec.hash("e_hash", 4, 8, 2);
        MapSpec array = MapSpec.array("e_array", 8, 2);
        MapSpec trie = MapSpec.lpmTrie("e_lpm", 4, 4, 2);
        MapSpec perCpuHash = new MapSpec("e_pc_hash", MapType.PERCPU_HASH, 4, 8, 1, 0);
        MapSpec ringBuffer = new MapSpec("e_ringbuf", MapType.RINGBUF, 0, 0, 4096, 0);
        Consumer<BpfMap> nothing = m -> {};
        byte[] pcValue = new byte[PossibleCpus.count() * 8];
        return Stream.of(
                new Case("hash NOEXIST on a present key", hash, m -> m.update(u32(1), u64(1), ANY),
                        m -> m.update(u32(1), u64(2), NOEXIST), Errno.EEXIST),
                new Case("hash EXIST on an absent key", hash, nothing, m -> m.update(u32(1), u64(2), EXIST), Errno.ENOENT),
                new Case("hash full", hash, m -> {
                    m.update(u32(1), u64(1), ANY);
                    m.update(u32(2), u64(2), ANY);
                }, m -> m.update(u32(3), u64(3), ANY), Errno.E2BIG),
                new Case("hash full, replacing is fine", hash, m -> {
                    m.update(u32(1), u64(1), ANY);
                    m.update(u32(2), u64(2), ANY);
                    m.update(u32(2), u64(5), ANY);
                }, m -> m.update(u32(3), u64(3), NOEXIST), Errno.E2BIG),
                new Case("hash delete of an absent key", hash, nothing, m -> m.delete(u32(1)), Errno.ENOENT),
                new Case("hash unknown update flag", hash, nothing, m -> m.update(u32(1), u64(1), 99), Errno.EINVAL),
                new Case("per-CPU hash full", perCpuHash, m -> m.update(u32(1), pcValue, ANY),
                        m -> m.update(u32(2), pcValue, ANY), Errno.E2BIG),
                new Case("array delete", array, nothing, m -> m.delete(u32(0)), Errno.EINVAL),
                new Case("array index past the end", array, nothing, m -> m.update(u32(2), u64(1), ANY), Errno.E2BIG),
                new Case("array NOEXIST (every index exists)", array, nothing, m -> m.update(u32(0), u64(1), NOEXIST),
                        Errno.EEXIST),
                new Case("trie full", trie, m -> {
                    m.update(lpmKey(8, 10, 0, 0, 0), u32(1), ANY);
                    m.update(lpmKey(16, 10, 1, 0, 0), u32(2), ANY);
                }, m -> m.update(lpmKey(24, 10, 1, 1, 0), u32(3), ANY), Errno.ENOSPC),
                new Case("trie prefix longer than the key", trie, nothing,
                        m -> m.update(lpmKey(33, 10, 0, 0, 0), u32(1), ANY), Errno.EINVAL),
                new Case("trie delete of an absent prefix", trie, m -> m.update(lpmKey(8, 10, 0, 0, 0), u32(1), ANY),
                        m -> m.delete(lpmKey(16, 10, 0, 0, 0)), Errno.ENOENT),
                new Case("ring buffer element lookup", ringBuffer, nothing, m -> m.lookup(new byte[0]), Errno.ENOTSUPP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void kernelAndInterpreterRefuseAlike(Case c) {
        MemoryMap memory = MemoryMap.create(c.spec(), PossibleCpus.count());
        try (KernelMap kernel = KernelMap.create(c.spec())) {
            c.setup().accept(kernel);
            c.setup().accept(memory);

            assertThat(refusal(kernel, c.refused())).as("kernel").isEqualTo(c.errno());
            assertThat(refusal(memory, c.refused())).as("interpreter").isEqualTo(c.errno());
            if (c.spec().type() != MapType.RINGBUF) {
                assertThat(MapContents.snapshot(kernel)).isEqualTo(MapContents.snapshot(memory));
            }
        }
    }

    private static Errno refusal(BpfMap map, Consumer<BpfMap> operation) {
        try {
            operation.accept(map);
            return null;
        } catch (MapException e) {
            return e.errno();
        }
    }
}
