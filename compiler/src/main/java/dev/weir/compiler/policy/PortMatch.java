package dev.weir.compiler.policy;

import dev.weir.compiler.cluster.Protocol;

/** One entry of a rule's {@code ports}: a protocol with all its ports, a number or range, or a named port. */
public sealed interface PortMatch {

    Protocol protocol();

    /** {@code protocol} alone: every port of it. */
    record AnyPort(Protocol protocol) implements PortMatch {
        @Override
        public String toString() {
            return protocol.name();
        }
    }

    /** {@code port}, or {@code port} to {@code endPort} inclusive. */
    record PortRange(Protocol protocol, int first, int last) implements PortMatch {
        @Override
        public String toString() {
            return protocol + "/" + (first == last ? Integer.toString(first) : first + "-" + last);
        }
    }

    /** A container port name, resolved on the destination pod. */
    record NamedPort(Protocol protocol, String name) implements PortMatch {
        @Override
        public String toString() {
            return protocol + "/" + name;
        }
    }
}
