package dev.weir.compiler.services;

import dev.weir.compiler.cluster.Ipv4;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Maglev consistent hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer",
 * NSDI 2016, section 3.4), populated as Cilium's pkg/maglev populates it. Each backend, named
 * {@code a.b.c.d:port}, has a preference list of the table's slots, {@code (offset + j * skip) mod M} for
 * j = 0, 1, ...: offset = h1 mod M and skip = h2 mod (M - 1) + 1, h1 and h2 the two halves of the name's
 * {@link Murmur3} hash with seed {@value #SEED}. Backends take turns claiming their next free preferred slot
 * until the table is full. Because M is prime every skip visits every slot; each backend ends up with
 * M / N slots give or take one, and when a backend comes or goes only about 1/N of the slots change hands,
 * so established flows that the datapath hashes to a slot mostly keep their backend.
 *
 * <p>The table depends only on the backends' names and their order in the list, never on the run.
 */
public final class Maglev {

    /** Cilium's default table size (a prime), enough for a few hundred backends with small imbalance. */
    public static final int DEFAULT_SIZE = 16_381;
    /** The hash seed: fixed, so that every compiler run and every node computes the same tables. */
    public static final int SEED = 0;

    private Maglev() {}

    /**
     * The slot table: entry i is the position in {@code backends} of slot i's backend, or -1 in every slot
     * when there are no backends.
     *
     * @param size M, the number of slots; must be a prime
     */
    public static int[] table(List<Backend> backends, int size) {
        if (!isPrime(size)) {
            throw new IllegalArgumentException("Maglev table size must be a prime (e.g. " + DEFAULT_SIZE + "), not " + size);
        }
        int[] table = new int[size];
        Arrays.fill(table, -1);
        int n = backends.size();
        if (n == 0) return table;
        int[] position = new int[n], skip = new int[n]; // each backend's next preferred slot, and its step
        for (int i = 0; i < n; i++) {
            long[] hash = Murmur3.hash128(name(backends.get(i)).getBytes(StandardCharsets.UTF_8), SEED);
            position[i] = (int) Long.remainderUnsigned(hash[0], size);
            skip[i] = (int) Long.remainderUnsigned(hash[1], size - 1) + 1;
        }
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                while (table[position[i]] >= 0) position[i] = step(position[i], skip[i], size);
                table[position[i]] = i;
                position[i] = step(position[i], skip[i], size);
                if (++filled == size) return table;
            }
        }
    }

    /** (slot + skip) mod size without overflow: both are below size, which is at most Integer.MAX_VALUE. */
    private static int step(int slot, int skip, int size) {
        int next = slot + skip;
        return next < 0 || next >= size ? next - size : next;
    }

    /** What a backend's hash is taken of: {@code a.b.c.d:port}. */
    static String name(Backend backend) {
        return Ipv4.text(backend.address()) + ":" + backend.port();
    }

    public static boolean isPrime(int number) {
        if (number < 2) return false;
        if (number % 2 == 0) return number == 2;
        for (int divisor = 3; (long) divisor * divisor <= number; divisor += 2) {
            if (number % divisor == 0) return false;
        }
        return true;
    }
}
