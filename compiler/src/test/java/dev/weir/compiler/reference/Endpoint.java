package dev.weir.compiler.reference;

import dev.weir.compiler.cluster.PodRef;

/** One end of a connection: a pod of the cluster, or an address outside it. */
public sealed interface Endpoint {

    record Pod(PodRef ref) implements Endpoint {
        @Override
        public String toString() {
            return ref.toString();
        }
    }

    /** An address no pod of the cluster has (or that is treated as such): only ipBlock peers match it. */
    record External(String ip) implements Endpoint {
        @Override
        public String toString() {
            return ip;
        }
    }

    static Endpoint pod(String namespaceSlashName) {
        return new Pod(PodRef.parse(namespaceSlashName));
    }

    static Endpoint pod(PodRef ref) {
        return new Pod(ref);
    }

    static Endpoint external(String ip) {
        return new External(ip);
    }
}
