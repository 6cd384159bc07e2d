package dev.weir.compiler.compile;

import dev.weir.compiler.identity.StableNumbering;
import dev.weir.compiler.policy.Direction;
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
 * @param pods      bit per pod selection
 * @param blocks    bit per ipBlock (same bit space)
 * @param isolation bit per namespace and direction that some policy isolates: set in a row when any of
 *                  those policies selects the identity (same bit space)
 * @param isolating the pod selections of the policies behind each isolation bit
 * @param names     id per port name, from 1
 */
public record SelectorBits(Map<PodSelection, Integer> pods, Map<Peer.AddressBlock, Integer> blocks,
                           Map<Isolation, Integer> isolation, Map<Isolation, List<PodSelection>> isolating,
                           Map<String, Integer> names) {

    /** The pods of {@code namespace} that some policy isolates in {@code direction}. */
    public record Isolation(String namespace, Direction direction) {}

    public static final SelectorBits EMPTY = new SelectorBits(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

    public SelectorBits {
        pods = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pods));
        blocks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(blocks));
        isolation = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(isolation));
        isolating = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(isolating));
        names = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(names));
    }

    public static SelectorBits allocate(List<Policy> policies, SelectorBits previous) {
        var keys = new LinkedHashSet<Object>();
        var names = new java.util.TreeSet<String>();
        var isolating = new LinkedHashMap<Isolation, List<PodSelection>>();
        for (Policy policy : policies) {
            keys.add(policy.subject());
            for (Direction direction : Direction.values()) {
                if (policy.isolates(direction)) {
                    Isolation isolation = new Isolation(policy.namespace(), direction);
                    keys.add(isolation);
                    isolating.computeIfAbsent(isolation, k -> new ArrayList<>()).add(policy.subject());
                }
            }
            // Rules of a direction the policy does not isolate never run (policyTypes wins): no bits for them.
            for (Rule rule : concat(policy.isolates(Direction.INGRESS) ? policy.ingress() : List.of(),
                    policy.isolates(Direction.EGRESS) ? policy.egress() : List.of())) {
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
        before.putAll(previous.isolation);
        var pods = new LinkedHashMap<PodSelection, Integer>();
        var blocks = new LinkedHashMap<Peer.AddressBlock, Integer>();
        var isolation = new LinkedHashMap<Isolation, Integer>();
        StableNumbering.assign(keys, before, 0).forEach((key, bit) -> {
            switch (key) {
                case PodSelection selection -> pods.put(selection, bit);
                case Peer.AddressBlock block -> blocks.put(block, bit);
                case Isolation namespace -> isolation.put(namespace, bit);
                default -> throw new IllegalStateException("unexpected selector key " + key);
            }
        });
        return new SelectorBits(pods, blocks, isolation, isolating, StableNumbering.assign(names, previous.names, 1));
    }

    /** One more than the highest bit in use (0 when none). */
    public int width() {
        int width = 0;
        for (int bit : pods.values()) width = Math.max(width, bit + 1);
        for (int bit : blocks.values()) width = Math.max(width, bit + 1);
        for (int bit : isolation.values()) width = Math.max(width, bit + 1);
        return width;
    }

    private static List<Rule> concat(List<Rule> a, List<Rule> b) {
        var all = new ArrayList<Rule>(a);
        all.addAll(b);
        return all;
    }
}
