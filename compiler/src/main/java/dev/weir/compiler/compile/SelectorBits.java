package dev.weir.compiler.compile;

import dev.weir.compiler.identity.StableNumbering;
import dev.weir.compiler.policy.Peer;
import dev.weir.compiler.policy.Policy;
import dev.weir.compiler.policy.PodSelection;
import dev.weir.compiler.policy.PortMatch;
import dev.weir.compiler.policy.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The numbering the programs embed: one bit per distinct pod selection (a policy's own podSelector or a
 * peer's) and per distinct ipBlock, and one id per container-port name the policies mention. Both are stable
 * across compilations, so a policy change leaves other namespaces' programs byte for byte the same.
 *
 * @param pods   bit per pod selection
 * @param blocks bit per ipBlock (same bit space as {@code pods})
 * @param names  id per port name, from 1
 */
public record SelectorBits(Map<PodSelection, Integer> pods, Map<Peer.AddressBlock, Integer> blocks, Map<String, Integer> names) {

    public static final SelectorBits EMPTY = new SelectorBits(Map.of(), Map.of(), Map.of());

    public SelectorBits {
        pods = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pods));
        blocks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(blocks));
        names = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(names));
    }

    public static SelectorBits allocate(List<Policy> policies, SelectorBits previous) {
        var keys = new LinkedHashSet<Object>();
        var names = new java.util.TreeSet<String>();
        for (Policy policy : policies) {
            keys.add(policy.subject());
            for (Rule rule : concat(policy.ingress(), policy.egress())) {
                for (Peer peer : rule.peers()) {
                    keys.add(peer instanceof Peer.Pods pods ? pods.selection() : peer);
                }
                for (PortMatch port : rule.ports()) {
                    if (port instanceof PortMatch.NamedPort named) names.add(named.name());
                }
            }
        }
        Map<Object, Integer> before = new LinkedHashMap<>(previous.pods);
        before.putAll(previous.blocks);
        var pods = new LinkedHashMap<PodSelection, Integer>();
        var blocks = new LinkedHashMap<Peer.AddressBlock, Integer>();
        StableNumbering.assign(keys, before, 0).forEach((key, bit) -> {
            if (key instanceof PodSelection selection) pods.put(selection, bit);
            else blocks.put((Peer.AddressBlock) key, bit);
        });
        return new SelectorBits(pods, blocks, StableNumbering.assign(names, previous.names, 1));
    }

    /** One more than the highest bit in use (0 when none). */
    public int width() {
        int width = 0;
        for (int bit : pods.values()) width = Math.max(width, bit + 1);
        for (int bit : blocks.values()) width = Math.max(width, bit + 1);
        return width;
    }

    private static List<Rule> concat(List<Rule> a, List<Rule> b) {
        var all = new ArrayList<Rule>(a);
        all.addAll(b);
        return all;
    }
}
