package dev.weir.compiler.netpol;

import dev.weir.compiler.cluster.Protocol;

/** One upstream ValidateOrFail: every pod connects to every pod on this port and protocol. */
public record Probe(int port, Protocol protocol, ExpectedReachability expected) {

    public static Probe tcp(int port, ExpectedReachability expected) {
        return new Probe(port, Protocol.TCP, expected);
    }

    @Override
    public String toString() {
        return protocol + "/" + port;
    }
}
