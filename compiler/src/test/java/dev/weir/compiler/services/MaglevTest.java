package dev.weir.compiler.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MaglevTest {

    private static final int M = Maglev.DEFAULT_SIZE;

    @Test
    void fillsEveryEntryWithABackend() {
        List<Backend> backends = backends(10);

        int[] table = Maglev.table(backends, M);

        assertThat(table).hasSize(M);
        assertThat(IntStream.of(table).allMatch(entry -> entry >= 0 && entry < backends.size())).isTrue();
    }

    @Test
    void isTheSameEveryTime() {
        assertThat(Maglev.table(backends(10), M)).isEqualTo(Maglev.table(backends(10), M));
        // Worked out apart from this code (the paper's pseudocode over Guava's murmur3_128): offsets and skips
        // 7/3, 9/1 and 3/2 for 10.0.0.10, .11 and .12 at port 8080. A change of hash, seed or name fails here.
        assertThat(Maglev.table(backends(3), 13)).containsExactly(0, 1, 2, 2, 2, 2, 0, 0, 0, 1, 0, 1, 1);
    }

    @Test
    void givesEveryBackendItsShare() {
        int[] counts = new int[10];
        for (int entry : Maglev.table(backends(10), M)) counts[entry]++;

        // M / N = 1638.1; Maglev's turns keep every backend within one entry of it.
        assertThat(IntStream.of(counts).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(1638, 1639));
    }

    @Test
    void removingOneOfTenBackendsMovesAboutATenth() {
        List<Backend> before = backends(10);
        List<Backend> after = new ArrayList<>(before);
        Backend removed = after.remove(4);

        Backend[] old = resolve(before, Maglev.table(before, M));
        Backend[] now = resolve(after, Maglev.table(after, M));

        assertThat(changed(old, now)).isBetween(0.08, 0.14);
        long keptOfRemaining = IntStream.range(0, M).filter(i -> !old[i].equals(removed)).filter(i -> old[i].equals(now[i])).count();
        long remaining = IntStream.range(0, M).filter(i -> !old[i].equals(removed)).count();
        assertThat((double) keptOfRemaining / remaining).as("entries of the remaining backends that stay").isGreaterThan(0.95);
        assertThat(now).doesNotContain(removed);
    }

    @Test
    void addingAnEleventhBackendMovesAboutATenth() {
        List<Backend> before = backends(10);
        List<Backend> after = backends(11);

        Backend[] old = resolve(before, Maglev.table(before, M));
        Backend[] now = resolve(after, Maglev.table(after, M));

        assertThat(changed(old, now)).isBetween(0.08, 0.14);
        long toNewcomer = IntStream.range(0, M).filter(i -> now[i].equals(after.getLast())).count();
        long changed = IntStream.range(0, M).filter(i -> !old[i].equals(now[i])).count();
        assertThat((double) toNewcomer / changed).as("changed entries that went to the newcomer").isGreaterThan(0.8);
    }

    @Test
    void noBackendsGiveAnEmptyTable() {
        assertThat(Maglev.table(List.of(), 251)).hasSize(251).containsOnly(-1);
    }

    @Test
    void refusesASizeThatIsNotPrime() {
        assertThatThrownBy(() -> Maglev.table(backends(2), 16_384))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a prime").hasMessageContaining("16384");
        assertThatThrownBy(() -> Maglev.table(List.of(), 1)).hasMessageContaining("must be a prime");
    }

    @Test
    void knowsPrimes() {
        assertThat(IntStream.rangeClosed(-3, 30).filter(Maglev::isPrime)).containsExactly(2, 3, 5, 7, 11, 13, 17, 19, 23, 29);
        assertThat(Maglev.isPrime(16_381)).isTrue();
        assertThat(Maglev.isPrime(131_071)).isTrue();
        assertThat(Maglev.isPrime(16_383)).isFalse(); // 3 * 43 * 127
        assertThat(Maglev.isPrime(Integer.MAX_VALUE)).isTrue();
    }

    private static List<Backend> backends(int count) {
        return IntStream.range(0, count).mapToObj(i -> new Backend(0x0a000000 + 10 + i, 8080, null, null)).toList();
    }

    private static Backend[] resolve(List<Backend> backends, int[] table) {
        return IntStream.of(table).mapToObj(backends::get).toArray(Backend[]::new);
    }

    private static double changed(Backend[] old, Backend[] now) {
        return (double) IntStream.range(0, M).filter(i -> !old[i].equals(now[i])).count() / M;
    }
}
