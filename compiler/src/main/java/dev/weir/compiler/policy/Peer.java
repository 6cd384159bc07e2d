package dev.weir.compiler.policy;

import java.util.List;

/** One entry of a rule's {@code from} or {@code to}. */
public sealed interface Peer {

    /** podSelector and/or namespaceSelector. */
    record Pods(PodSelection selection) implements Peer {
        @Override
        public String toString() {
            return selection.toString();
        }
    }

    /** ipBlock: addresses in {@code cidr} and in none of {@code except}. IPv4 only (see {@link PolicyReader}). */
    record AddressBlock(Cidr cidr, List<Cidr> except) implements Peer {
        public AddressBlock {
            except = List.copyOf(except);
        }

        @Override
        public String toString() {
            return "ipBlock " + cidr + (except.isEmpty() ? "" : " except " + except);
        }
    }
}
