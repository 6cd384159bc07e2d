package dev.weir.compiler.compile;

import dev.weir.compiler.policy.Direction;
import java.util.List;

/**
 * The programs a namespace's pods run, and, for explaining verdicts, the policies each program evaluates in
 * order (policy number n in skb->cb[1] is {@code ingressPolicies.get(n - 1)} or the egress one).
 */
public record NamespacePrograms(String namespace, String ingressProgram, String egressProgram,
                                List<String> ingressPolicies, List<String> egressPolicies) {
    public NamespacePrograms {
        ingressPolicies = List.copyOf(ingressPolicies);
        egressPolicies = List.copyOf(egressPolicies);
    }

    public String program(Direction direction) {
        return direction == Direction.INGRESS ? ingressProgram : egressProgram;
    }

    public List<String> policies(Direction direction) {
        return direction == Direction.INGRESS ? ingressPolicies : egressPolicies;
    }
}
