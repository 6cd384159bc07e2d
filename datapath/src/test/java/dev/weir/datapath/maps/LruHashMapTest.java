package dev.weir.datapath.maps;

import static dev.weir.datapath.maps.TestBytes.u32;
import static dev.weir.datapath.maps.TestBytes.u64;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LruHashMapTest {
    private final MemoryMap lru = MemoryMap.create(new MapSpec("conntrack", MapType.LRU_HASH, 4, 8, 3, 0), 1);

    private void put(int key) {
        lru.update(u32(key), u64(key), BpfMap.ANY);
    }

    private boolean has(int key) {
        return lru.lookup(u32(key)).isPresent(); // user-space lookups do not count as use
    }

    @Test
    void aFullMapEvictsTheLeastRecentlyUsedEntryInsteadOfRefusing() {
        put(1);
        put(2);
        put(3);
        put(4);
        assertThat(has(1)).isFalse();
        assertThat(has(2) && has(3) && has(4)).isTrue();
        assertThat(((HashTableMap) lru).size()).isEqualTo(3);
        put(5);
        assertThat(has(2)).isFalse();
    }

    @Test
    void aProgramLookupCountsAsUse() {
        put(1);
        put(2);
        put(3);
        assertThat(lru.lookupFrom(u32(1), 0, 0)).isNotNegative();
        put(4);
        assertThat(has(1)).as("looked up by a program: survives").isTrue();
        assertThat(has(2)).as("least recently used: evicted").isFalse();
    }

    @Test
    void aUserSpaceLookupDoesNotCountAsUse() {
        put(1);
        put(2);
        put(3);
        assertThat(has(1)).isTrue();
        put(4);
        assertThat(has(1)).isFalse();
    }

    @Test
    void anUpdateCountsAsUse() {
        put(1);
        put(2);
        put(3);
        put(1);
        assertThat(lru.updateFrom(u32(2), 0, u64(22), 0, BpfMap.EXIST, 0)).isZero();
        put(4);
        assertThat(has(3)).isFalse();
        assertThat(has(1) && has(2) && has(4)).isTrue();
    }

    @Test
    void aRefusedUpdateEvictsNothing() {
        put(1);
        put(2);
        put(3);
        assertThat(lru.updateFrom(u32(3), 0, u64(0), 0, BpfMap.NOEXIST, 0)).isEqualTo(-Errno.EEXIST.code);
        assertThat(lru.updateFrom(u32(9), 0, u64(0), 0, BpfMap.EXIST, 0)).isEqualTo(-Errno.ENOENT.code);
        assertThat(has(1) && has(2) && has(3)).isTrue();
    }

    @Test
    void deletedEntriesFreeTheirSlotWithoutEviction() {
        put(1);
        put(2);
        put(3);
        lru.delete(u32(2));
        put(4);
        assertThat(has(1) && has(3) && has(4)).isTrue();
    }

    @Test
    void anEvictedSlotIsReusedWithTheNewValue() {
        put(1);
        put(2);
        put(3);
        int slotOf1 = lru.lookupFrom(u32(1), 0, 0);
        lru.lookupFrom(u32(2), 0, 0);
        lru.lookupFrom(u32(3), 0, 0);
        assertThat(lru.updateFrom(u32(4), 0, u64(44), 0, BpfMap.ANY, 0)).isZero();
        assertThat(lru.lookupFrom(u32(4), 0, 0)).isEqualTo(slotOf1);
        assertThat(lru.lookup(u32(4))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u64(44)));
    }
}
