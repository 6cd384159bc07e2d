package dev.weir.compiler.services;

import dev.weir.compiler.cluster.Protocol;
import java.util.Objects;

/**
 * One port of a Service.
 *
 * @param name      the port's name, "" when the Service has a single unnamed port
 * @param nodePort  the node port, 0 for none
 */
public record ServicePort(String name, Protocol protocol, int port, TargetPort targetPort, int nodePort) {

    public ServicePort {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(targetPort, "targetPort");
        requirePort(port, "port");
        if (nodePort != 0) requirePort(nodePort, "nodePort");
    }

    /** Where a Service port leads on each backend: a number, or a container port's name resolved per backend. */
    public sealed interface TargetPort {
        record Number(int port) implements TargetPort {
            public Number {
                requirePort(port, "targetPort");
            }
        }

        record Named(String name) implements TargetPort {
            public Named {
                if (name == null || name.isEmpty()) throw new IllegalArgumentException("a named targetPort needs a name");
            }
        }
    }

    static void requirePort(int port, String what) {
        if (port < 1 || port > 65535) throw new IllegalArgumentException(what + " must be between 1 and 65535, not " + port);
    }
}
