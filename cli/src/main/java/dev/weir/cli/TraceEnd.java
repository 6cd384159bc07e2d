package dev.weir.cli;

import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.policy.Cidr;
import dev.weir.compiler.simulate.Target;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One end of {@code weir trace}, as the user named it: {@code ns/name}, or an IPv4 address, which is the pod
 * whose address it is, and outside the cluster only when it is no pod's.
 *
 * @param note how an address was resolved, for the trace output ({@code (10.0.0.1 is pod x/a)}), or null
 */
record TraceEnd(Target target, String note) {

    static TraceEnd parse(String text, ClusterState cluster) {
        if (text.contains("/")) {
            PodRef pod = PodRef.parse(text);
            if (cluster.pod(pod).isEmpty()) {
                throw new IllegalArgumentException("no pod " + pod + " in the input");
            }
            return new TraceEnd(Target.pod(pod), null);
        }
        InetAddress address;
        try {
            address = Cidr.parseAddress(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is neither namespace/pod nor an IPv4 address");
        }
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException(text + ": Weir's datapath is IPv4-only");
        }
        List<PodRef> owners = cluster.pods().stream().filter(pod -> hasAddress(pod, address)).map(ClusterPod::ref).toList();
        if (owners.size() > 1) {
            // The compiler gives a contested address to nobody; tracing it as any one pod would be a guess.
            throw new IllegalArgumentException("address " + text + " is claimed by pods " + owners + ": name one as namespace/pod");
        }
        if (owners.size() == 1) {
            return new TraceEnd(Target.pod(owners.getFirst()), "(" + text + " is pod " + owners.getFirst() + ")");
        }
        return new TraceEnd(Target.address(ByteBuffer.wrap(address.getAddress()).getInt()), null);
    }

    private static boolean hasAddress(ClusterPod pod, InetAddress address) {
        if (pod.ip() == null) {
            return false;
        }
        try {
            return Cidr.parseAddress(pod.ip()).equals(address);
        } catch (IllegalArgumentException e) {
            return false; // an unreadable podIP is the loader's to report; it is nobody's address
        }
    }
}
