package dev.weir.compiler.cluster;

import java.util.Objects;

/**
 * A port a pod's container declares. Named ports in policies resolve against these, per destination pod.
 *
 * @param name the port's name, or null when the container port is unnamed
 */
public record PodPort(String name, int number, Protocol protocol) {

    public PodPort {
        Objects.requireNonNull(protocol, "protocol");
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("container port must be between 1 and 65535, got " + number);
        }
    }
}
