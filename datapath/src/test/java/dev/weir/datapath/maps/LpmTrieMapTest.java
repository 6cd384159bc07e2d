package dev.weir.datapath.maps;

import static dev.weir.datapath.maps.TestBytes.hex;
import static dev.weir.datapath.maps.TestBytes.lpm;
import static dev.weir.datapath.maps.TestBytes.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LpmTrieMapTest {
    private final MemoryMap v4 = MemoryMap.create(MapSpec.lpmTrie("cidrs", 4, 4, 16), 1);

    private static void put(MemoryMap map, int prefixLen, String address, int value) {
        map.update(lpm(prefixLen, address), u32(value), BpfMap.ANY);
    }

    /** The value of the longest match, or -1. */
    private static int match(MemoryMap map, int prefixLen, String address) {
        return map.lookup(lpm(prefixLen, address)).map(v -> Bytes.u32(v, 0)).orElse(-1);
    }

    @Test
    void theLongestPrefixWins() {
        put(v4, 8, "10.0.0.0", 8);
        put(v4, 16, "10.1.0.0", 16);
        put(v4, 32, "10.1.2.3", 32);
        assertThat(match(v4, 32, "10.1.2.3")).isEqualTo(32);
        assertThat(match(v4, 32, "10.1.2.4")).isEqualTo(16);
        assertThat(match(v4, 32, "10.1.255.255")).isEqualTo(16);
        assertThat(match(v4, 32, "10.2.0.1")).isEqualTo(8);
        assertThat(match(v4, 32, "11.0.0.1")).isEqualTo(-1);
    }

    @Test
    void theDefaultRouteMatchesEverythingElse() {
        put(v4, 0, "0.0.0.0", 0);
        put(v4, 8, "10.0.0.0", 8);
        assertThat(match(v4, 32, "192.168.1.1")).isZero();
        assertThat(match(v4, 32, "10.9.9.9")).isEqualTo(8);
        assertThat(match(v4, 0, "10.9.9.9")).as("a /0 key matches only the /0").isZero();
    }

    @Test
    void theKeysPrefixLengthBoundsTheMatch() {
        put(v4, 8, "10.0.0.0", 8);
        put(v4, 16, "10.1.0.0", 16);
        put(v4, 32, "10.1.2.3", 32);
        assertThat(match(v4, 31, "10.1.2.3")).isEqualTo(16);
        assertThat(match(v4, 16, "10.1.2.3")).isEqualTo(16);
        assertThat(match(v4, 15, "10.1.2.3")).isEqualTo(8);
        assertThat(match(v4, 7, "10.1.2.3")).isEqualTo(-1);
        assertThat(match(v4, 33, "10.1.2.3")).as("longer than the data: nothing").isEqualTo(-1);
        assertThat(v4.lookupFrom(lpm(33, "10.1.2.3"), 0, 0)).isEqualTo(-1);
    }

    @Test
    void bitsBeyondThePrefixAreIgnoredButTheLastWrittenKeyIsKept() {
        put(v4, 8, "10.0.0.1", 1);
        put(v4, 8, "10.0.0.0", 2); // the same entry
        assertThat(((LpmTrieMap) v4).size()).isEqualTo(1);
        assertThat(match(v4, 32, "10.200.0.0")).isEqualTo(2);
        assertThat(v4.nextKey(null)).hasValueSatisfying(k -> assertThat(k).isEqualTo(lpm(8, "10.0.0.0")));
        assertThatThrownBy(() -> v4.update(lpm(8, "10.255.255.255"), u32(3), BpfMap.NOEXIST))
                .isInstanceOfSatisfying(MapException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
        v4.delete(lpm(8, "10.9.9.9"));
        assertThat(((LpmTrieMap) v4).size()).isZero();
        assertThat(match(v4, 32, "10.0.0.0")).isEqualTo(-1);
    }

    @Test
    void ipv6Prefixes() {
        MemoryMap v6 = MemoryMap.create(MapSpec.lpmTrie("cidrs6", 16, 4, 16), 1);
        put(v6, 32, "2001:db8::", 32);
        put(v6, 48, "2001:db8:1::", 48);
        put(v6, 128, "2001:db8:1::42", 128);
        put(v6, 65, "2001:db8:1:0:8000::", 65);
        assertThat(match(v6, 128, "2001:db8:1::42")).isEqualTo(128);
        assertThat(match(v6, 128, "2001:db8:1::43")).isEqualTo(48);
        assertThat(match(v6, 128, "2001:db8:1:0:8000::1")).isEqualTo(65);
        assertThat(match(v6, 128, "2001:db8:1:0:7fff::1")).isEqualTo(48);
        assertThat(match(v6, 128, "2001:db8:2::1")).isEqualTo(32);
        assertThat(match(v6, 128, "2001:db9::1")).isEqualTo(-1);
        assertThat(match(v6, 64, "2001:db8:1::42")).isEqualTo(48);
        assertThatThrownBy(() -> put(v6, 129, "::", 0))
                .isInstanceOfSatisfying(MapException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }

    @Test
    void aPrefixLongerThanTheDataIsEinval() {
        assertThat(v4.updateFrom(lpm(33, "1.2.3.4"), 0, u32(1), 0, BpfMap.ANY, 0)).isEqualTo(-Errno.EINVAL.code);
        assertThat(v4.updateFrom(lpm(-1, "1.2.3.4"), 0, u32(1), 0, BpfMap.ANY, 0)).as("prefixlen is a u32").isEqualTo(-Errno.EINVAL.code);
        assertThat(v4.deleteFrom(lpm(33, "1.2.3.4"), 0)).isEqualTo(-Errno.EINVAL.code);
    }

    @Test
    void flagsAsTrieUpdateElem() {
        put(v4, 24, "192.168.1.0", 1);
        assertThat(v4.updateFrom(lpm(24, "192.168.1.0"), 0, u32(2), 0, BpfMap.NOEXIST, 0)).isEqualTo(-Errno.EEXIST.code);
        assertThat(v4.updateFrom(lpm(25, "192.168.1.0"), 0, u32(2), 0, BpfMap.EXIST, 0)).isEqualTo(-Errno.ENOENT.code);
        assertThat(v4.updateFrom(lpm(24, "192.168.1.0"), 0, u32(3), 0, BpfMap.EXIST, 0)).isZero();
        assertThat(v4.updateFrom(lpm(24, "192.168.1.0"), 0, u32(3), 0, 3, 0)).isEqualTo(-Errno.EINVAL.code);
        assertThat(match(v4, 32, "192.168.1.7")).isEqualTo(3);
    }

    @Test
    void anIntermediateNodeIsNoEntryUntilWritten() {
        put(v4, 24, "192.168.0.0", 1);
        put(v4, 24, "192.168.1.0", 2); // splits at 192.168.0.0/23, an intermediate node
        assertThat(match(v4, 23, "192.168.0.0")).isEqualTo(-1);
        assertThat(v4.updateFrom(lpm(23, "192.168.0.0"), 0, u32(3), 0, BpfMap.EXIST, 0)).isEqualTo(-Errno.ENOENT.code);
        assertThat(v4.deleteFrom(lpm(23, "192.168.0.0"), 0)).isEqualTo(-Errno.ENOENT.code);
        put(v4, 23, "192.168.0.0", 23);
        assertThat(match(v4, 32, "192.168.1.1")).isEqualTo(2);
        assertThat(match(v4, 23, "192.168.1.1")).isEqualTo(23);
        assertThat(((LpmTrieMap) v4).size()).isEqualTo(3);
    }

    @Test
    void deletingAnEntryWithTwoChildrenKeepsThemReachable() {
        put(v4, 16, "172.16.0.0", 16);
        put(v4, 24, "172.16.0.0", 240);
        put(v4, 24, "172.16.128.0", 241);
        v4.delete(lpm(16, "172.16.0.0"));
        assertThat(match(v4, 32, "172.16.0.9")).isEqualTo(240);
        assertThat(match(v4, 32, "172.16.128.9")).isEqualTo(241);
        assertThat(match(v4, 32, "172.16.64.9")).isEqualTo(-1);
        v4.delete(lpm(24, "172.16.0.0"));
        assertThat(match(v4, 32, "172.16.128.9")).isEqualTo(241);
        assertThat(keys(v4)).containsExactly(hex(lpm(24, "172.16.128.0")));
    }

    @Test
    void deletingAMissingPrefixIsEnoent() {
        put(v4, 16, "10.1.0.0", 1);
        assertThatThrownBy(() -> v4.delete(lpm(24, "10.1.0.0")))
                .isInstanceOfSatisfying(MapException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
        assertThat(v4.deleteFrom(lpm(15, "10.1.0.0"), 0)).isEqualTo(-Errno.ENOENT.code);
    }

    @Test
    void aFullTrieRefusesNewPrefixesWithEnospcButStillReplaces() {
        for (int i = 0; i < 16; i++) put(v4, 32, "10.0.0." + i, i);
        assertThat(v4.updateFrom(lpm(32, "10.0.0.99"), 0, u32(1), 0, BpfMap.ANY, 0)).isEqualTo(-Errno.ENOSPC.code);
        assertThatThrownBy(() -> put(v4, 8, "10.0.0.0", 1))
                .isInstanceOfSatisfying(MapException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOSPC));
        assertThat(v4.updateFrom(lpm(32, "10.0.0.99"), 0, u32(1), 0, BpfMap.EXIST, 0))
                .as("EXIST on a new prefix is ENOENT before the map is found full").isEqualTo(-Errno.ENOENT.code);
        put(v4, 32, "10.0.0.5", 55);
        assertThat(match(v4, 32, "10.0.0.5")).isEqualTo(55);
        v4.delete(lpm(32, "10.0.0.0"));
        put(v4, 8, "10.0.0.0", 8);
        assertThat(match(v4, 32, "10.0.0.0")).isEqualTo(8);
    }

    @Test
    void nextKeyVisitsEveryEntryOnceAlsoAfterDeletes() {
        String[] cidrs = {"0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.3/32", "192.168.0.0/24", "192.168.1.0/24", "172.16.0.0/12"};
        List<String> all = new ArrayList<>();
        for (String cidr : cidrs) {
            String[] parts = cidr.split("/");
            put(v4, Integer.parseInt(parts[1]), parts[0], 0);
            all.add(hex(lpm(Integer.parseInt(parts[1]), parts[0])));
        }
        assertThat(keys(v4)).containsExactlyInAnyOrderElementsOf(all);
        v4.delete(lpm(16, "10.1.0.0"));
        v4.delete(lpm(0, "0.0.0.0"));
        all.remove(hex(lpm(16, "10.1.0.0")));
        all.remove(hex(lpm(0, "0.0.0.0")));
        assertThat(keys(v4)).containsExactlyInAnyOrderElementsOf(all);
        assertThat(hex(v4.nextKey(lpm(16, "10.1.0.0")).orElseThrow())).as("an absent key starts over").isEqualTo(keys(v4).getFirst());
    }

    @Test
    void programsGetTheValueOffsetOfTheMatch() {
        put(v4, 8, "10.0.0.0", 8);
        put(v4, 24, "10.0.1.0", 24);
        byte[] memory = TestBytes.concat(new byte[3], lpm(32, "10.0.1.200"));
        int at = v4.lookupFrom(memory, 3, 0);
        assertThat(Bytes.u32(v4.valueStore(), at)).isEqualTo(24);
        assertThat(at % v4.valueStride()).isZero();
        assertThat(v4.updateFrom(memory, 3, u32(7), 0, BpfMap.ANY, 0)).isZero();
        assertThat(match(v4, 32, "10.0.1.200")).isEqualTo(7);
        assertThat(v4.deleteFrom(memory, 3)).isZero();
        assertThat(match(v4, 32, "10.0.1.200")).isEqualTo(24);
    }

    static List<String> keys(BpfMap map) {
        List<String> keys = new ArrayList<>();
        for (Optional<byte[]> k = map.nextKey(null); k.isPresent(); k = map.nextKey(k.get())) keys.add(hex(k.get()));
        return keys;
    }
}
