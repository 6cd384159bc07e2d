package dev.weir.cli;

import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.policy.Cidr;
import dev.weir.compiler.services.ClusterService;
import dev.weir.compiler.services.Frontend;
import dev.weir.compiler.services.ServiceRef;
import dev.weir.compiler.services.ServiceTable;
import dev.weir.compiler.simulate.Target;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One end of {@code weir trace}, as the user named it: {@code ns/name}, {@code svc:ns/name} (the Service's first
 * cluster IP), or an IPv4 address, which is the pod whose address it is, a Service frontend, and outside the
 * cluster only when it is neither.
 *
 * @param note    how an address was resolved, for the trace output ({@code (10.0.0.1 is pod x/a)}), or null
 * @param service the Service whose frontend the address is, or null
 */
record TraceEnd(Target target, String note, ServiceRef service) {

    TraceEnd(Target target, String note) {
        this(target, note, null);
    }

    static final String SERVICE_PREFIX = "svc:";

    /** The client: a Service opens no connections, so it cannot be one. */
    static TraceEnd client(String text, ClusterState cluster, ServiceTable services) {
        TraceEnd end = parse(text, cluster, services, 0, null);
        if (end.service() != null) {
            throw new IllegalArgumentException("--from " + text + " is a Service: a Service opens no connections, trace from a pod or an address");
        }
        return end;
    }

    /** The server; a Service is reached at its port {@code port}/{@code protocol}, which it must have. */
    static TraceEnd server(String text, ClusterState cluster, ServiceTable services, int port, Protocol protocol) {
        return parse(text, cluster, services, port, protocol);
    }

    private static TraceEnd parse(String text, ClusterState cluster, ServiceTable services, int port, Protocol protocol) {
        if (text.startsWith(SERVICE_PREFIX)) {
            return service(text.substring(SERVICE_PREFIX.length()), cluster, port, protocol);
        }
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
        int ipv4 = ByteBuffer.wrap(address.getAddress()).getInt();
        List<Frontend> frontends = services.frontends().stream()
                .filter(f -> f.address() == ipv4 && f.kind() != Frontend.Kind.NODE_PORT).toList();
        if (frontends.isEmpty()) {
            return new TraceEnd(Target.address(ipv4), null);
        }
        ServiceRef owner = services.services().get(frontends.getFirst().service()).service();
        boolean atPort = frontends.stream().anyMatch(f -> f.port() == port && f.protocol() == protocol);
        // A Service address at a port it does not serve is not translated: say so, or the trace would puzzle
        return new TraceEnd(Target.address(ipv4), "(" + text + " is Service " + owner + (protocol == null || atPort ? ")"
                : ", which has no port " + port + "/" + protocol + ": the packet is not translated)"), owner);
    }

    private static TraceEnd service(String name, ClusterState cluster, int port, Protocol protocol) {
        String[] parts = name.split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("'" + SERVICE_PREFIX + name + "' is not svc:namespace/name");
        }
        var ref = new ServiceRef(parts[0], parts[1]);
        ClusterService service = cluster.service(ref)
                .orElseThrow(() -> new IllegalArgumentException("no Service " + ref + " in the input (headless and ExternalName Services have no cluster IP to trace)"));
        if (protocol != null && service.ports().stream().noneMatch(p -> p.port() == port && p.protocol() == protocol)) {
            throw new IllegalArgumentException("Service " + ref + " has no port " + port + "/" + protocol + " (it has "
                    + String.join(", ", service.ports().stream().map(p -> p.port() + "/" + p.protocol()).toList()) + ")");
        }
        int ip = service.clusterIps().getFirst();
        return new TraceEnd(Target.address(ip), "(" + SERVICE_PREFIX + ref + " is " + Ipv4.text(ip) + ", its cluster IP)", ref);
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
