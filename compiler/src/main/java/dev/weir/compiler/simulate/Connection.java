package dev.weir.compiler.simulate;

import java.util.List;

/**
 * A simulated connection: the client's first packet through the source's egress and the destination's
 * ingress programs, then the reply back through the destination's egress and the source's ingress.
 * A new connection is allowed when every hop passed. Hops stop at the first drop. To a Service address,
 * the destination is the backend the client's egress program chose ({@link #translation()}), and the
 * connection is allowed only if the reply also came back from the Service address.
 *
 * @param translation what Service translation did, or null when {@code to} is no Service address
 */
public record Connection(Target from, Target to, int port, dev.weir.compiler.cluster.Protocol protocol, List<Hop> request,
                         List<Hop> reply, Translation translation) {

    public Connection {
        request = List.copyOf(request);
        reply = List.copyOf(reply);
    }

    public Connection(Target from, Target to, int port, dev.weir.compiler.cluster.Protocol protocol, List<Hop> request, List<Hop> reply) {
        this(from, to, port, protocol, request, reply, null);
    }

    public boolean allowed() {
        return request.stream().allMatch(Hop::allowed) && reply.size() == request.size() && reply.stream().allMatch(Hop::allowed)
                && (translation == null || translation.replyRestored());
    }
}
