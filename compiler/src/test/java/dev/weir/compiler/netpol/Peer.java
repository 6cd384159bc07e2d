package dev.weir.compiler.netpol;

import dev.weir.compiler.cluster.PodRef;

/** Upstream's Peer matcher: an empty namespace or pod matches any. */
public record Peer(String namespace, String pod) {

    public static Peer any() {
        return new Peer("", "");
    }

    public static Peer namespace(String namespace) {
        return new Peer(namespace, "");
    }

    public static Peer pod(String namespace, String pod) {
        return new Peer(namespace, pod);
    }

    boolean matches(PodRef ref) {
        return (namespace.isEmpty() || namespace.equals(ref.namespace())) && (pod.isEmpty() || pod.equals(ref.name()));
    }
}
