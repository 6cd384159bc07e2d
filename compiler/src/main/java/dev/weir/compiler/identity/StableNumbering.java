package dev.weir.compiler.identity;

import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gives keys small numbers that survive recompilation: a key numbered before keeps its number, a new key
 * takes the smallest free one (in the order the keys are given, so the result is deterministic), and the
 * numbers of keys that went away become free. Identities, selector bits and port-name ids all work this way,
 * so that a change touches only what it changed: programs embed selector bits and name ids, maps hold
 * identities.
 */
public final class StableNumbering {

    private StableNumbering() {}

    /** Numbers {@code keys} from {@code first}; the result iterates in key order. */
    public static <K> Map<K, Integer> assign(Collection<K> keys, Map<K, Integer> previous, int first) {
        var result = new LinkedHashMap<K, Integer>();
        var taken = new BitSet();
        for (K key : keys) {
            Integer number = previous.get(key);
            if (number != null && number >= first && !taken.get(number - first)) {
                result.put(key, number);
                taken.set(number - first);
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
