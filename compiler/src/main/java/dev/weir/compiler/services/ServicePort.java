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
    }

    /** Where a Service port leads on each backend: a number, or a container port's name resolved per backend. */
    public sealed interface TargetPort {
        record Number(int port) implements TargetPort {}

        record Named(String name) implements TargetPort {}
    }
}
