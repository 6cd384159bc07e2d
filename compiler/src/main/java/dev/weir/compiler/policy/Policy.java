package dev.weir.compiler.policy;

import java.util.List;
import java.util.Set;

/**
 * A NetworkPolicy after validation, in the compiler's terms: which pods it selects, the directions it
 * isolates (policyTypes, defaulted), and its rules per direction.
 */
public record Policy(String namespace, String name, PodSelection subject, Set<Direction> types, List<Rule> ingress,
                     List<Rule> egress) {

    public Policy {
        types = Set.copyOf(types);
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
    }

    public String key() {
        return namespace + "/" + name;
    }

    public boolean isolates(Direction direction) {
        return types.contains(direction);
    }

    public List<Rule> rules(Direction direction) {
        return direction == Direction.INGRESS ? ingress : egress;
    }
}
