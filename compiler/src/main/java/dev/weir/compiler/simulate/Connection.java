package dev.weir.compiler.simulate;

import java.util.List;

/**
 * A simulated connection: the client's first packet through the source's egress and the destination's
 * ingress programs, then the reply back through the destination's egress and the source's ingress.
 * A new connection is allowed when every hop passed. Hops stop at the first drop.
 */
public record Connection(Target from, Target to, int port, dev.weir.compiler.cluster.Protocol protocol, List<Hop> request,
                         List<Hop> reply) {

    public Connection {
        request = List.copyOf(request);
        reply = List.copyOf(reply);
    }

    public boolean allowed() {
        return request.stream().allMatch(Hop::allowed) && reply.size() == request.size() && reply.stream().allMatch(Hop::allowed);
    }
}
