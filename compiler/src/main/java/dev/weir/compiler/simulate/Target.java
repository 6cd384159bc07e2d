package dev.weir.compiler.simulate;

import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.cluster.PodRef;

/** One end of a simulated connection: a pod of the cluster, or an IPv4 address outside it. */
public sealed interface Target {

    record Pod(PodRef ref) implements Target {
        @Override
        public String toString() {
            return ref.toString();
        }
    }

    /** @param ipv4 host notation (0x0a000001 = 10.0.0.1) */
    record Address(int ipv4) implements Target {
        @Override
        public String toString() {
            return Ipv4.text(ipv4);
        }
    }

    static Target pod(PodRef ref) {
        return new Pod(ref);
    }

    static Target address(int ipv4) {
        return new Address(ipv4);
    }
}
