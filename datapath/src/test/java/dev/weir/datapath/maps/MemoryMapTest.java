package dev.weir.datapath.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MemoryMapTest {
    private static MapSpec specFor(MapType type) {
        return switch (type) {
            case ARRAY, PERCPU_ARRAY, HASH, PERCPU_HASH, LRU_HASH -> new MapSpec("m", type, 4, 12, 10, 0);
            case PROG_ARRAY -> new MapSpec("m", type, 4, 4, 10, 0);
            case LPM_TRIE -> MapSpec.lpmTrie("m", 4, 12, 10);
            case RINGBUF -> new MapSpec("m", type, 0, 0, 8192, 0);
        };
    }

    @ParameterizedTest
    @EnumSource(MapType.class)
    void createsTheImplementationForEveryType(MapType type) {
        MemoryMap map = MemoryMap.create(specFor(type), 2);
        assertThat(map.spec().type()).isEqualTo(type);
        Class<?> expected = switch (type) {
            case ARRAY, PERCPU_ARRAY -> ArrayMap.class;
            case HASH, PERCPU_HASH, LRU_HASH -> HashTableMap.class;
            case LPM_TRIE -> LpmTrieMap.class;
            case PROG_ARRAY -> ProgArrayMap.class;
            case RINGBUF -> RingBufferMap.class;
        };
        assertThat(map).isExactlyInstanceOf(expected);
        int stride = map.valueStride();
        int cpus = type.perCpu() ? 2 : 1;
        assertThat(map.cpus()).isEqualTo(cpus);
        if (stride != 0) {
            assertThat(stride).isEqualTo(16);
            assertThat(map.valueStore()).hasSize(10 * cpus * stride);
        }
    }

    @ParameterizedTest
    @EnumSource(MapType.class)
    void theValueStoreIsNeverReallocated(MapType type) {
        MemoryMap map = MemoryMap.create(specFor(type), 1);
        byte[] store = map.valueStore();
        if (type != MapType.RINGBUF && type != MapType.PROG_ARRAY) {
            byte[] key = type == MapType.LPM_TRIE ? TestBytes.lpm(32, "1.2.3.4") : TestBytes.u32(3);
            map.update(key, new byte[type.perCpu() ? 16 : 12], BpfMap.ANY); // one CPU: one padded value
        }
        assertThat(map.valueStore()).isSameAs(store);
    }

    @ParameterizedTest
    @EnumSource(MapType.class)
    void atLeastOneCpuIsNeeded(MapType type) {
        assertThatThrownBy(() -> MemoryMap.create(specFor(type), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @org.junit.jupiter.api.Test
    void aStoreTooLargeForOneArrayIsRefusedNamingTheMap() {
        assertThatThrownBy(() -> MemoryMap.create(new MapSpec("huge", MapType.PERCPU_ARRAY, 4, 4096, 1 << 20, 0), 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("huge");
    }
}
