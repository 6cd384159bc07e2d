package dev.weir.compiler.simulate;

import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.abi.Reason;
import dev.weir.compiler.policy.Direction;

/**
 * One program's verdict on one packet of a simulated connection.
 *
 * @param pod       whose interface the program runs on
 * @param direction the pod's egress (packet leaving it) or ingress (packet arriving)
 * @param policy    the deciding policy ({@code namespace/name}), or null
 * @param rule      the deciding rule's index in the policy's ingress or egress list, or -1
 */
public record Hop(PodRef pod, Direction direction, String program, boolean allowed, Reason reason, String policy, int rule) {

    /** "allowed by x/allow-db ingress[0]", "denied: default deny by x/deny-all", ... */
    public String explain() {
        String where = direction == Direction.INGRESS ? "ingress" : "egress";
        return switch (reason) {
            case RULE -> "allowed by " + policy + " " + where + "[" + rule + "]";
            case DEFAULT_DENY -> "denied: default deny by " + policy + " (no " + where + " rule of the policies selecting "
                    + pod + " allows it)";
            default -> (allowed ? "allowed: " : "denied: ") + reason.description;
        };
    }
}
