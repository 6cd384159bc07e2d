package dev.weir.compiler.identity;

import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gives keys small numbers that survive recompilation: a key numbered before keeps its number, a new key
 * takes the smallest free one (in the order the keys are given, so the result is deterministic). A number
 * whose key went away is retired for one generation: no new key gets it in the compilation where it was
 * freed, so while the agent swaps maps and programs, no old program can read a new meaning into an old
 * number (or the reverse). Identities, selector bits and port-name ids all work this way, so that a change
 * touches only what it changed: programs embed selector bits and name ids, maps hold identities.
 */
public final class StableNumbering {

    private StableNumbering() {}

    /** Numbers {@code keys} from {@code first}; the result iterates in key order. */
    public static <K> Map<K, Integer> assign(Collection<K> keys, Map<K, Integer> previous, int first) {
        var result = new LinkedHashMap<K, Integer>();
        var taken = new BitSet();
        for (int number : previous.values()) {
            if (number >= first) taken.set(number - first); // kept below, or retired for this generation
        }
        for (K key : keys) {
            Integer number = previous.get(key);
            if (number != null && number >= first) {
                result.put(key, number);
            }
        }
        var ordered = new LinkedHashMap<K, Integer>();
        for (K key : keys) {
            Integer number = result.get(key);
            if (number == null) {
                int free = taken.nextClearBit(0);
                taken.set(free);
                number = first + free;
            }
            ordered.put(key, number);
        }
        return ordered;
    }
}
