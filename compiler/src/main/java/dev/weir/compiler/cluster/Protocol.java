package dev.weir.compiler.cluster;

import java.util.Optional;

/** The transport protocols a NetworkPolicy port (and a container port) can name. */
public enum Protocol {
    TCP(6),
    UDP(17),
    SCTP(132);

    /** The IPv4 protocol number. */
    public final int number;

    Protocol(int number) {
        this.number = number;
    }

    /** The API's spelling (case-sensitive, as the API server checks it); absent means TCP. */
    public static Optional<Protocol> fromApi(String value) {
        if (value == null) {
            return Optional.of(TCP);
        }
        for (Protocol protocol : values()) {
            if (protocol.name().equals(value)) {
                return Optional.of(protocol);
            }
        }
        return Optional.empty();
    }
}
