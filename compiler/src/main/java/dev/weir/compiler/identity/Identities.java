package dev.weir.compiler.identity;

import dev.weir.compiler.policy.Cidr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Numeric identities, as Cilium has them: one per distinct {@link LabelSet} of pods, one per ipBlock prefix,
 * and reserved ones below {@value #FIRST}. The datapath maps addresses to identities, and identities to the
 * selectors they match; pods that share labels share everything but their ipcache entry.
 *
 * <p>Numbers are stable across compilations ({@link StableNumbering}), so adding or relabelling one pod never
 * renumbers the others.
 */
public record Identities(Map<LabelSet, Integer> pods, Map<Cidr, Integer> prefixes) {
    /** No identity. */
    public static final int NONE = 0;
    /** The node itself (reserved; the agent fills node addresses). */
    public static final int HOST = 1;
    /** Any address that is neither a known pod nor inside any ipBlock prefix. */
    public static final int WORLD = 2;
    /** The first number given to pods and prefixes. */
    public static final int FIRST = 256;

    public static final Identities EMPTY = new Identities(Map.of(), Map.of());

    /** Orders prefixes as the LPM trie would list them: by length, then address. */
    public static final Comparator<Cidr> PREFIX_ORDER = Comparator.comparingInt(Cidr::prefixLength)
            .thenComparing(c -> c.network().getHostAddress());

    public Identities {
        pods = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pods));
        prefixes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(prefixes));
    }

    /** Numbers the given label sets and prefixes, keeping the numbers {@code previous} gave. */
    public static Identities allocate(Collection<LabelSet> labelSets, Collection<Cidr> cidrs, Identities previous) {
        List<Object> keys = new ArrayList<>();
        labelSets.stream().distinct().sorted().forEach(keys::add);
        cidrs.stream().distinct().sorted(PREFIX_ORDER).forEach(keys::add);
        Map<Object, Integer> before = new LinkedHashMap<>();
        before.putAll(previous.pods);
        before.putAll(previous.prefixes);
        Map<Object, Integer> numbers = StableNumbering.assign(keys, before, FIRST);
        var pods = new LinkedHashMap<LabelSet, Integer>();
        var prefixes = new LinkedHashMap<Cidr, Integer>();
        numbers.forEach((key, number) -> {
            if (key instanceof LabelSet labels) pods.put(labels, number);
            else prefixes.put((Cidr) key, number);
        });
        return new Identities(pods, prefixes);
    }

    public Optional<Integer> of(LabelSet labels) {
        return Optional.ofNullable(pods.get(labels));
    }

    /** The highest number in use (at least {@link #WORLD}). */
    public int highest() {
        int highest = WORLD;
        for (int n : pods.values()) highest = Math.max(highest, n);
        for (int n : prefixes.values()) highest = Math.max(highest, n);
        return highest;
    }
}
