package dev.weir.compiler.codegen;

import dev.weir.compiler.policy.Direction;
import java.util.List;

/**
 * What one policy program must decide, in concrete numbers: for one namespace and direction, the policies
 * in order, each with the selector bit of the pods it selects and its rules. This is the last stage before
 * bytecode; it knows nothing of Kubernetes objects, only bits, protocol numbers, ports and name ids.
 *
 * @param isolationBit set in the rows of the identities some of the policies select (unused without policies)
 * @param maglevSize   slots per Maglev row of the Service translation (a prime)
 */
public record ProgramPlan(Direction direction, int isolationBit, List<PolicyPlan> policies, int maglevSize) {

    public ProgramPlan {
        policies = List.copyOf(policies);
        if (!dev.weir.compiler.services.Maglev.isPrime(maglevSize)) {
            throw new IllegalArgumentException("a Maglev row's length must be a prime, not " + maglevSize);
        }
    }

    /** @param subjectBit the selector bit set in the rows of the identities the policy selects */
    public record PolicyPlan(String policy, int subjectBit, List<RulePlan> rules) {
        public PolicyPlan {
            rules = List.copyOf(rules);
        }
    }

    /** Empty ports: any port of any protocol; empty peers: any peer. */
    public record RulePlan(int index, List<PortCheck> ports, List<PeerCheck> peers) {
        public RulePlan {
            ports = List.copyOf(ports);
            peers = List.copyOf(peers);
        }
    }

    public sealed interface PortCheck {
        int protocol();

        record AnyPort(int protocol) implements PortCheck {}

        record Range(int protocol, int first, int last) implements PortCheck {}

        /** The destination pod declares the packet's port under name {@code nameId} (named-port map). */
        record Named(int protocol, int nameId) implements PortCheck {}
    }

    public sealed interface PeerCheck {
        int bit();

        /** The peer's identity row has the bit (podSelector/namespaceSelector peers). */
        record PodBit(int bit) implements PeerCheck {}

        /** The peer address's prefix row has the bit (ipBlock peers). */
        record BlockBit(int bit) implements PeerCheck {}
    }

    boolean needsPeerRow() {
        return policies.stream().flatMap(p -> p.rules().stream()).flatMap(r -> r.peers().stream())
                .anyMatch(c -> c instanceof PeerCheck.PodBit);
    }

    boolean needsBlockRow() {
        return policies.stream().flatMap(p -> p.rules().stream()).flatMap(r -> r.peers().stream())
                .anyMatch(c -> c instanceof PeerCheck.BlockBit);
    }
}
