package dev.weir.datapath.maps;

import static dev.weir.datapath.maps.TestBytes.u32;
import static dev.weir.datapath.maps.TestBytes.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArrayMapTest {
    private final MemoryMap map = MemoryMap.create(MapSpec.array("counters", 8, 4), 1);

    @Test
    void everyEntryExistsZeroFilled() {
        for (int i = 0; i < 4; i++) assertThat(map.lookup(u32(i))).hasValueSatisfying(v -> assertThat(v).isEqualTo(new byte[8]));
    }

    @Test
    void updateThenLookup() {
        map.update(u32(2), u64(42), BpfMap.ANY);
        assertThat(map.lookup(u32(2))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u64(42)));
        assertThat(map.lookup(u32(1))).hasValueSatisfying(v -> assertThat(v).isEqualTo(new byte[8]));
    }

    @Test
    void indexPastTheEndIsAbsentAndRefusesUpdatesWithE2big() {
        assertThat(map.lookup(u32(4))).isEmpty();
        assertThat(map.lookup(u32(-1))).as("keys are unsigned: 0xffffffff is not -1").isEmpty();
        assertThatThrownBy(() -> map.update(u32(4), u64(1), BpfMap.ANY))
                .isInstanceOfSatisfying(MapException.class, e -> assertThat(e.errno()).isEqualTo(Errno.E2BIG));
        assertThat(map.updateFrom(u32(-1), 0, u64(1), 0, BpfMap.ANY, 0)).isEqualTo(-Errno.E2BIG.code);
        assertThat(map.lookupFrom(u32(4), 0, 0)).isEqualTo(-1);
    }

    @Test
    void flags() {
        assertThat(errnoOfUpdate(0, BpfMap.NOEXIST)).isEqualTo(Errno.EEXIST);
        assertThat(errnoOfUpdate(0, 3)).isEqualTo(Errno.EINVAL);
        assertThat(errnoOfUpdate(0, -1)).as("flags are unsigned").isEqualTo(Errno.EINVAL);
        assertThat(errnoOfUpdate(9, 3)).as("flags are checked before the index").isEqualTo(Errno.EINVAL);
        map.update(u32(0), u64(7), BpfMap.EXIST);
        assertThat(map.lookup(u32(0))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u64(7)));
        assertThat(map.updateFrom(u32(1), 0, u64(1), 0, BpfMap.NOEXIST, 0)).isEqualTo(-Errno.EEXIST.code);
        assertThat(map.updateFrom(u32(1), 0, u64(1), 0, 4, 0)).isEqualTo(-Errno.EINVAL.code);
    }

    @Test
    void deleteIsRefusedWithEinval() {
        assertThatThrownBy(() -> map.delete(u32(0)))
                .isInstanceOfSatisfying(MapException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        assertThat(map.deleteFrom(u32(0), 0)).isEqualTo(-Errno.EINVAL.code);
    }

    @Test
    void nextKeyWalksTheIndicesAndRestartsFromZeroOnNullOrOutOfRangeKeys() {
        List<Integer> visited = new ArrayList<>();
        for (Optional<byte[]> k = map.nextKey(null); k.isPresent(); k = map.nextKey(k.get())) visited.add(Bytes.u32(k.get(), 0));
        assertThat(visited).containsExactly(0, 1, 2, 3);
        assertThat(map.nextKey(u32(3))).isEmpty();
        assertThat(map.nextKey(u32(4))).hasValueSatisfying(k -> assertThat(k).isEqualTo(u32(0)));
        assertThat(map.nextKey(u32(-1))).hasValueSatisfying(k -> assertThat(k).isEqualTo(u32(0)));
    }

    @Test
    void programsReadAndWriteTheValueStoreAtIndexTimesStride() {
        MemoryMap odd = MemoryMap.create(MapSpec.array("odd", 5, 3), 1);
        assertThat(odd.valueStride()).as("value size rounded up to 8, as the kernel's elem_size").isEqualTo(8);
        assertThat(odd.valueStore()).hasSize(24);
        byte[] program = {0, 0, 2, 0, 0, 0, 9, 8, 7, 6, 5}; // key at offset 2, value at offset 6
        assertThat(odd.updateFrom(program, 2, program, 6, BpfMap.ANY, 0)).isZero();
        assertThat(odd.lookupFrom(program, 2, 0)).isEqualTo(16);
        assertThat(odd.valueStore()).containsSequence(9, 8, 7, 6, 5);
        assertThat(odd.lookup(u32(2))).hasValueSatisfying(v -> assertThat(v).containsExactly(9, 8, 7, 6, 5));
        odd.valueStore()[16] = 1; // a program's store through the returned pointer
        assertThat(odd.lookup(u32(2)).orElseThrow()[0]).isEqualTo((byte) 1);
    }

    @Test
    void wrongSizesFromUserSpaceAreProgrammingErrors() {
        assertThatThrownBy(() -> map.lookup(new byte[3])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 bytes");
        assertThatThrownBy(() -> map.update(u32(0), new byte[7], BpfMap.ANY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 bytes");
    }

    private Errno errnoOfUpdate(int index, long flags) {
        try {
            map.update(u32(index), u64(1), flags);
            return null;
        } catch (MapException e) {
            return e.errno();
        }
    }
}
