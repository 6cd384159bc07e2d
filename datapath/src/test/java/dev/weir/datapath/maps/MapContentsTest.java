package dev.weir.datapath.maps;

import static dev.weir.datapath.maps.TestBytes.lpm;
import static dev.weir.datapath.maps.TestBytes.u32;
import static dev.weir.datapath.maps.TestBytes.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MapContentsTest {
    @Test
    void aHashMapAsSortedHex() {
        MemoryMap map = MemoryMap.create(MapSpec.hash("h", 2, 8, 8), 1);
        map.update(new byte[] {2, 0}, u64(2), BpfMap.ANY);
        map.update(new byte[] {1, 0}, u64(1), BpfMap.ANY);
        assertThat(MapContents.snapshot(map)).containsExactly(
                Map.entry("0100", "0100000000000000"), Map.entry("0200", "0200000000000000"));
    }

    @Test
    void anArrayListsEveryIndex() {
        MemoryMap map = MemoryMap.create(MapSpec.array("a", 4, 3), 1);
        map.update(u32(1), u32(0xabcd), BpfMap.ANY);
        assertThat(MapContents.snapshot(map)).containsExactly(
                Map.entry("00000000", "00000000"), Map.entry("01000000", "cdab0000"), Map.entry("02000000", "00000000"));
    }

    @Test
    void anLpmTrieListsEachPrefixWithItsOwnValue() {
        MemoryMap map = MemoryMap.create(MapSpec.lpmTrie("l", 4, 4, 8), 1);
        map.update(lpm(8, "10.0.0.0"), u32(8), BpfMap.ANY);
        map.update(lpm(16, "10.1.0.0"), u32(16), BpfMap.ANY);
        assertThat(MapContents.snapshot(map)).containsExactly(
                Map.entry("080000000a000000", "08000000"), Map.entry("100000000a010000", "10000000"));
    }

    @Test
    void programArraysAndRingBuffersHaveNoContents() {
        assertThatThrownBy(() -> MapContents.snapshot(MemoryMap.create(new MapSpec("p", MapType.PROG_ARRAY, 4, 4, 2, 0), 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MapContents.snapshot(MemoryMap.create(new MapSpec("r", MapType.RINGBUF, 0, 0, 4096, 0), 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIterationThatComesBackToAKeyIsReportedNotLoopedOn() {
        BpfMap circular = new BpfMap() {
            @Override
            public MapSpec spec() {
                return MapSpec.hash("loop", 1, 1, 2);
            }

            @Override
            public Optional<byte[]> lookup(byte[] key) {
                return Optional.of(new byte[] {0});
            }

            @Override
            public void update(byte[] key, byte[] value, long flags) {
            }

            @Override
            public void delete(byte[] key) {
            }

            @Override
            public Optional<byte[]> nextKey(byte[] key) {
                return Optional.of(new byte[] {(byte) (key == null || key[0] == 1 ? 0 : 1)});
            }
        };
        assertThatThrownBy(() -> MapContents.snapshot(circular)).isInstanceOf(IllegalStateException.class).hasMessageContaining("00");
    }
}
