package dev.weir.datapath.maps;

import static dev.weir.datapath.maps.TestBytes.concat;
import static dev.weir.datapath.maps.TestBytes.u32;
import static dev.weir.datapath.maps.TestBytes.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** PERCPU_ARRAY and PERCPU_HASH: one value per possible CPU, each padded to 8 bytes. */
class PerCpuMapTest {
    private static final int CPUS = 3;

    private final MemoryMap array = MemoryMap.create(new MapSpec("pa", MapType.PERCPU_ARRAY, 4, 4, 2, 0), CPUS);
    private final MemoryMap hash = MemoryMap.create(new MapSpec("ph", MapType.PERCPU_HASH, 2, 4, 4, 0), CPUS);

    /** Three CPUs' 4-byte values, each padded to 8 bytes as bpf(2) lays them out. */
    private static byte[] perCpu(int cpu0, int cpu1, int cpu2) {
        return concat(u32(cpu0), new byte[4], u32(cpu1), new byte[4], u32(cpu2), new byte[4]);
    }

    @Test
    void strideIsThePaddedValueAndTheStoreHoldsEveryCpu() {
        assertThat(array.valueStride()).isEqualTo(8);
        assertThat(array.valueStore()).hasSize(2 * CPUS * 8);
        assertThat(hash.valueStride()).isEqualTo(8);
        assertThat(hash.valueStore()).hasSize(4 * CPUS * 8);
    }

    @Test
    void userSpaceSeesEveryCpuConcatenated() {
        assertThat(array.lookup(u32(1))).hasValueSatisfying(v -> assertThat(v).isEqualTo(new byte[24]));
        array.update(u32(1), perCpu(10, 11, 12), BpfMap.ANY);
        assertThat(array.lookup(u32(1))).hasValueSatisfying(v -> assertThat(v).isEqualTo(perCpu(10, 11, 12)));
        hash.update(new byte[] {1, 2}, perCpu(1, 2, 3), BpfMap.ANY);
        assertThat(hash.lookup(new byte[] {1, 2})).hasValueSatisfying(v -> assertThat(v).isEqualTo(perCpu(1, 2, 3)));
    }

    @Test
    void programsSeeTheirOwnCpusValueAtSlotTimesCpusPlusCpu() {
        array.update(u32(1), perCpu(10, 11, 12), BpfMap.ANY);
        for (int cpu = 0; cpu < CPUS; cpu++) {
            int at = array.lookupFrom(u32(1), 0, cpu);
            assertThat(at).isEqualTo((1 * CPUS + cpu) * 8);
            assertThat(Bytes.u32(array.valueStore(), at)).isEqualTo(10 + cpu);
        }
    }

    @Test
    void aProgramUpdateTouchesOnlyItsCpu() {
        array.update(u32(0), perCpu(10, 11, 12), BpfMap.ANY);
        assertThat(array.updateFrom(u32(0), 0, u32(99), 0, BpfMap.ANY, 1)).isZero();
        assertThat(array.lookup(u32(0))).hasValueSatisfying(v -> assertThat(v).isEqualTo(perCpu(10, 99, 12)));

        byte[] key = {5, 6};
        hash.update(key, perCpu(1, 2, 3), BpfMap.ANY);
        assertThat(hash.updateFrom(key, 0, u32(77), 0, BpfMap.EXIST, 2)).isZero();
        assertThat(hash.lookup(key)).hasValueSatisfying(v -> assertThat(v).isEqualTo(perCpu(1, 2, 77)));
    }

    @Test
    void aHashElementCreatedByAProgramStartsZeroedOnTheOtherCpus() {
        byte[] key = {7, 7};
        hash.update(key, perCpu(5, 5, 5), BpfMap.ANY);
        hash.delete(key); // its slot is reused below: nothing of it may show through
        assertThat(hash.updateFrom(key, 0, u32(8), 0, BpfMap.NOEXIST, 1)).isZero();
        assertThat(hash.lookup(key)).hasValueSatisfying(v -> assertThat(v).isEqualTo(perCpu(0, 8, 0)));
    }

    @Test
    void userSpaceValuesOfTheWrongLengthNameTheExpectedLength() {
        assertThatThrownBy(() -> array.update(u32(0), u32(1), BpfMap.ANY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24 bytes").hasMessageContaining("3 CPUs");
        assertThatThrownBy(() -> hash.update(new byte[] {1, 1}, new byte[12], BpfMap.ANY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24 bytes");
    }

    @Test
    void userSpaceRoundTripsThePadding() {
        byte[] value = perCpu(1, 2, 3);
        value[5] = 42; // padding of CPU 0: the kernel copies whole 8-byte strides both ways
        array.update(u32(0), value, BpfMap.ANY);
        assertThat(array.lookup(u32(0))).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
    }

    @Test
    void aCpuOutsideThePossibleOnesIsAnError() {
        assertThatThrownBy(() -> array.lookupFrom(u32(0), 0, CPUS)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void mapsThatAreNotPerCpuIgnoreTheCpu() {
        MemoryMap plain = MemoryMap.create(MapSpec.hash("plain", 2, 8, 4), CPUS);
        plain.update(new byte[] {1, 1}, u64(3), BpfMap.ANY);
        assertThat(plain.lookupFrom(new byte[] {1, 1}, 0, 2)).isEqualTo(plain.lookupFrom(new byte[] {1, 1}, 0, 0));
        assertThat(plain.lookup(new byte[] {1, 1})).hasValueSatisfying(v -> assertThat(v).isEqualTo(u64(3)));
    }
}
