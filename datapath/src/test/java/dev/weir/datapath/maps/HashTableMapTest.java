package dev.weir.datapath.maps;

import static dev.weir.datapath.maps.TestBytes.hex;
import static dev.weir.datapath.maps.TestBytes.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HashTableMapTest {
    /** 7-byte keys: one 4-byte word and three odd bytes, so hashing and comparison tails are exercised. */
    private final MemoryMap map = MemoryMap.create(MapSpec.hash("flows", 7, 8, 4), 1);

    private static byte[] key(int n) {
        return new byte[] {(byte) n, 0, 0, (byte) (n >> 8), 1, 2, (byte) n};
    }

    @Test
    void insertLookupReplaceDelete() {
        assertThat(map.lookup(key(1))).isEmpty();
        map.update(key(1), u64(10), BpfMap.ANY);
        assertThat(map.lookup(key(1))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u64(10)));
        map.update(key(1), u64(11), BpfMap.ANY);
        assertThat(map.lookup(key(1))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u64(11)));
        map.delete(key(1));
        assertThat(map.lookup(key(1))).isEmpty();
        assertThat(((HashTableMap) map).size()).isZero();
    }

    @Test
    void keysDifferingInTheirLastByteAreDistinct() {
        byte[] a = key(1), b = key(1);
        b[6] ^= (byte) 0x80;
        map.update(a, u64(1), BpfMap.ANY);
        map.update(b, u64(2), BpfMap.ANY);
        assertThat(map.lookup(a)).hasValueSatisfying(v -> assertThat(v).isEqualTo(u64(1)));
        assertThat(map.lookup(b)).hasValueSatisfying(v -> assertThat(v).isEqualTo(u64(2)));
    }

    @Test
    void flagsAsHtabMapUpdateElem() {
        map.update(key(1), u64(1), BpfMap.ANY);
        assertThat(errnoOfUpdate(key(1), BpfMap.NOEXIST)).isEqualTo(Errno.EEXIST);
        assertThat(errnoOfUpdate(key(2), BpfMap.EXIST)).isEqualTo(Errno.ENOENT);
        assertThat(errnoOfUpdate(key(2), 3)).isEqualTo(Errno.EINVAL);
        assertThat(errnoOfUpdate(key(1), 4)).as("BPF_F_LOCK: no spin locks here").isEqualTo(Errno.EINVAL);
        map.update(key(1), u64(5), BpfMap.EXIST);
        map.update(key(2), u64(6), BpfMap.NOEXIST);
        assertThat(map.lookup(key(1))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u64(5)));
        assertThat(map.lookup(key(2))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u64(6)));
        assertThat(map.updateFrom(key(2), 0, u64(1), 0, BpfMap.NOEXIST, 0)).isEqualTo(-Errno.EEXIST.code);
        assertThat(map.updateFrom(key(3), 0, u64(1), 0, BpfMap.EXIST, 0)).isEqualTo(-Errno.ENOENT.code);
        assertThat(map.lookup(key(3))).as("a refused update leaves nothing behind").isEmpty();
    }

    @Test
    void aFullMapRefusesNewKeysWithE2bigButStillReplacesAndTakesKeysAfterADelete() {
        for (int i = 0; i < 4; i++) map.update(key(i), u64(i), BpfMap.ANY);
        assertThat(errnoOfUpdate(key(9), BpfMap.ANY)).isEqualTo(Errno.E2BIG);
        assertThat(map.updateFrom(key(9), 0, u64(9), 0, BpfMap.ANY, 0)).isEqualTo(-Errno.E2BIG.code);
        map.update(key(3), u64(33), BpfMap.ANY);
        map.delete(key(0));
        map.update(key(9), u64(9), BpfMap.NOEXIST);
        assertThat(map.lookup(key(9))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u64(9)));
        assertThat(map.lookup(key(3))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u64(33)));
    }

    @Test
    void deletingAMissingKeyIsEnoent() {
        assertThatThrownBy(() -> map.delete(key(5)))
                .isInstanceOfSatisfying(MapException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
        assertThat(map.deleteFrom(key(5), 0)).isEqualTo(-Errno.ENOENT.code);
    }

    @Test
    void programsReadKeysAtAnOffsetAndGetValueOffsets() {
        byte[] stack = new byte[32];
        System.arraycopy(key(7), 0, stack, 5, 7);
        System.arraycopy(u64(70), 0, stack, 16, 8);
        assertThat(map.updateFrom(stack, 5, stack, 16, BpfMap.ANY, 0)).isZero();
        int at = map.lookupFrom(stack, 5, 0);
        assertThat(at % map.valueStride()).isZero();
        assertThat(TestBytes.u64At(map.valueStore(), at)).isEqualTo(70);
        assertThat(map.lookupFrom(key(8), 0, 0)).isEqualTo(-1);
        assertThat(map.deleteFrom(stack, 5)).isZero();
        assertThat(map.lookupFrom(stack, 5, 0)).isEqualTo(-1);
    }

    @Test
    void updatingAnExistingKeyWritesInPlace() {
        map.update(key(1), u64(1), BpfMap.ANY);
        int before = map.lookupFrom(key(1), 0, 0);
        map.update(key(1), u64(2), BpfMap.ANY);
        assertThat(map.lookupFrom(key(1), 0, 0)).isEqualTo(before);
        assertThat(TestBytes.u64At(map.valueStore(), before)).isEqualTo(2);
    }

    @Test
    void nextKeyVisitsEveryKeyOnceAlsoAfterDeletes() {
        MemoryMap big = MemoryMap.create(MapSpec.hash("big", 7, 8, 100), 1);
        for (int i = 0; i < 100; i++) big.update(key(i), u64(i), BpfMap.ANY);
        assertThat(keys(big)).hasSize(100).doesNotHaveDuplicates();
        for (int i = 0; i < 100; i += 3) big.delete(key(i));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) if (i % 3 != 0) expected.add(hex(key(i)));
        assertThat(keys(big)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(keys(big)).as("stable while unchanged").isEqualTo(keys(big));
    }

    @Test
    void nextKeyOfAnAbsentKeyStartsOverAndTheLastKeyEnds() {
        assertThat(map.nextKey(null)).isEmpty();
        map.update(key(1), u64(1), BpfMap.ANY);
        map.update(key(2), u64(2), BpfMap.ANY);
        byte[] first = map.nextKey(null).orElseThrow();
        assertThat(map.nextKey(key(9))).hasValueSatisfying(k -> assertThat(k).isEqualTo(first));
        byte[] second = map.nextKey(first).orElseThrow();
        assertThat(map.nextKey(second)).isEmpty();
    }

    @Test
    void nextKeyDoesNotHandOutTheMapsOwnKeyBytes() {
        map.update(key(1), u64(1), BpfMap.ANY);
        map.nextKey(null).orElseThrow()[0] = 99;
        assertThat(map.lookup(key(1))).isPresent();
    }

    static List<String> keys(BpfMap map) {
        List<String> keys = new ArrayList<>();
        for (Optional<byte[]> k = map.nextKey(null); k.isPresent(); k = map.nextKey(k.get())) keys.add(hex(k.get()));
        return keys;
    }

    private Errno errnoOfUpdate(byte[] key, long flags) {
        try {
            map.update(key, u64(0), flags);
            return null;
        } catch (MapException e) {
            return e.errno();
        }
    }
}
