package dev.weir.compiler.policy;

import java.util.List;

/**
 * One ingress or egress rule. Empty {@code ports} means every port of every protocol; empty {@code peers}
 * means every peer, inside the cluster or not (the API's missing or empty {@code from}/{@code to}).
 *
 * @param index the rule's position in the policy's {@code spec.ingress} or {@code spec.egress}
 */
public record Rule(int index, List<PortMatch> ports, List<Peer> peers) {
    public Rule {
        ports = List.copyOf(ports);
        peers = List.copyOf(peers);
    }
}
