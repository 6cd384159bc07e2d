package dev.weir.datapath.maps;

import static dev.weir.datapath.maps.TestBytes.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProgArrayMapTest {
    private final ProgArrayMap jumps = (ProgArrayMap) MemoryMap.create(new MapSpec("jumps", MapType.PROG_ARRAY, 4, 4, 4, 0), 1);

    private static Errno errnoOf(Runnable operation) {
        try {
            operation.run();
            return null;
        } catch (MapException e) {
            return e.errno();
        }
    }

    @Test
    void programsAreSetReadAndCleared() {
        Object program = new Object();
        assertThat(jumps.program(1)).isNull();
        jumps.setProgram(1, program);
        assertThat(jumps.program(1)).isSameAs(program);
        jumps.clearProgram(1);
        assertThat(jumps.program(1)).isNull();
    }

    @Test
    void anIndexOutOfRangeHasNoProgram() {
        assertThat(jumps.program(4)).isNull();
        assertThat(jumps.program(-1)).as("a u32 index").isNull();
        assertThatThrownBy(() -> jumps.setProgram(4, new Object())).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> jumps.setProgram(0, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void userSpaceUpdatesStoreTheFdAsAPlaceholder() {
        jumps.update(u32(2), u32(17), BpfMap.ANY);
        assertThat(jumps.program(2)).isEqualTo(17);
        jumps.delete(u32(2));
        assertThat(jumps.program(2)).isNull();
    }

    @Test
    void userSpaceRefusalsAsTheKernelsFdArray() {
        assertThat(errnoOf(() -> jumps.update(u32(0), u32(3), BpfMap.NOEXIST))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> jumps.update(u32(0), u32(3), BpfMap.EXIST))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> jumps.update(u32(4), u32(3), BpfMap.ANY))).isEqualTo(Errno.E2BIG);
        assertThat(errnoOf(() -> jumps.delete(u32(4)))).isEqualTo(Errno.E2BIG);
        assertThat(errnoOf(() -> jumps.delete(u32(0)))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> jumps.lookup(u32(0)))).isEqualTo(Errno.ENOTSUPP);
    }

    @Test
    void programsCannotUseTheElementHelpers() {
        jumps.setProgram(0, new Object());
        assertThat(jumps.lookupFrom(u32(0), 0, 0)).isEqualTo(-1);
        assertThat(jumps.updateFrom(u32(0), 0, u32(1), 0, BpfMap.ANY, 0)).isEqualTo(-Errno.EINVAL.code);
        assertThat(jumps.deleteFrom(u32(0), 0)).isEqualTo(-Errno.EINVAL.code);
        assertThat(jumps.program(0)).isNotNull();
        assertThat(jumps.valueStore()).isEmpty();
        assertThat(jumps.valueStride()).isZero();
    }

    @Test
    void nextKeyWalksEveryIndexLikeAnArray() {
        assertThat(HashTableMapTest.keys(jumps)).containsExactly("00000000", "01000000", "02000000", "03000000");
        assertThat(jumps.nextKey(u32(9))).hasValueSatisfying(k -> assertThat(k).isEqualTo(u32(0)));
    }
}
