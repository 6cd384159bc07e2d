package dev.weir.compiler.compile;

import dev.weir.compiler.identity.LabelSet;
import dev.weir.compiler.policy.Cidr;
import dev.weir.compiler.policy.Peer;
import dev.weir.compiler.policy.PodSelection;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The selector row of each identity: which selection bits it matches. Pod identities match pod selections;
 * prefix identities match ipBlocks. Pod selections are grouped by namespace first, so a row costs the
 * selections that can see its namespace, not all of them.
 */
final class Rows {

    private final SelectorBits bits;
    private final Map<String, List<Map.Entry<PodSelection, Integer>>> byNamespace = new HashMap<>();

    Rows(SelectorBits bits) {
        this.bits = bits;
    }

    BitSet of(LabelSet labels) {
        var row = new BitSet();
        String key = labels.namespace() + "\u0000" + labels.namespaceLabels();
        List<Map.Entry<PodSelection, Integer>> candidates = byNamespace.computeIfAbsent(key, k -> {
            var list = new ArrayList<Map.Entry<PodSelection, Integer>>();
            for (var entry : bits.pods().entrySet()) {
                if (entry.getKey().matchesNamespace(labels.namespace(), labels.namespaceLabels())) list.add(entry);
            }
            return list;
        });
        for (var entry : candidates) {
            if (entry.getKey().pods().matches(labels.podLabels())) row.set(entry.getValue());
        }
        bits.isolating().forEach((isolation, subjects) -> {
            if (isolation.namespace().equals(labels.namespace()) && subjects.stream().anyMatch(s -> row.get(bits.pods().get(s)))) {
                row.set(bits.isolation().get(isolation));
            }
        });
        return row;
    }

    /**
     * A prefix's row: the ipBlocks that hold all of it and none of whose excepts hold it. The LPM trie returns
     * the longest prefix holding an address, and prefixes nest, so this is exactly "the address is in cidr
     * and in no except".
     */
    BitSet of(Cidr prefix) {
        var row = new BitSet();
        bits.blocks().forEach((block, bit) -> {
            if (within(prefix, block.cidr()) && block.except().stream().noneMatch(except -> within(prefix, except))) {
                row.set(bit);
            }
        });
        return row;
    }

    private static boolean within(Cidr inner, Cidr outer) {
        return outer.prefixLength() <= inner.prefixLength() && outer.contains(inner.network());
    }
}
