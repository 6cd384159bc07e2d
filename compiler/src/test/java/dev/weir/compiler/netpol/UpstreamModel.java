package dev.weir.compiler.netpol;

import dev.weir.compiler.cluster.ClusterNamespace;
import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodPort;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.cluster.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Upstream's e2e model (test/e2e/network/netpol/model.go): namespaces x, y, z labelled ns=NAME; pods a, b, c
 * in each, labelled pod=NAME, each serving ports 80 and 81 over TCP, UDP and SCTP through container ports
 * named serve-PORT-PROTOCOL (serve-80-tcp, ...). Pod IPs are 10.0.N.M (x=1.., a=1..), made up here because
 * upstream reads them from the cluster.
 */
public final class UpstreamModel {

    public static final List<String> NAMESPACES = List.of("x", "y", "z");
    public static final List<String> POD_NAMES = List.of("a", "b", "c");
    public static final List<Integer> PORTS = List.of(80, 81);

    private UpstreamModel() {}

    public static ClusterState cluster() {
        var builder = ClusterState.builder();
        for (String namespace : NAMESPACES) {
            builder.namespace(new ClusterNamespace(namespace, Map.of("ns", namespace)));
        }
        for (String namespace : NAMESPACES) {
            for (String pod : POD_NAMES) {
                builder.pod(new ClusterPod(namespace, pod, Map.of("pod", pod), ipOf(namespace, pod), ports()));
            }
        }
        return builder.build();
    }

    /** x/a, x/b, x/c, y/a, ... in the order of upstream's truth tables. */
    public static List<PodRef> allPods() {
        var pods = new ArrayList<PodRef>();
        for (String namespace : NAMESPACES) {
            for (String pod : POD_NAMES) {
                pods.add(new PodRef(namespace, pod));
            }
        }
        return pods;
    }

    public static String ipOf(String namespace, String pod) {
        return "10.0." + (NAMESPACES.indexOf(namespace) + 1) + "." + (POD_NAMES.indexOf(pod) + 1);
    }

    /** What upstream's makeLargeCIDRForIP returns: the /4 holding the address. */
    public static String largeCidrFor(String ip) {
        int firstOctet = Integer.parseInt(ip.substring(0, ip.indexOf('.')));
        return (firstOctet & 0xF0) + ".0.0.0/4";
    }

    private static List<PodPort> ports() {
        var ports = new ArrayList<PodPort>();
        for (int port : PORTS) {
            for (Protocol protocol : Protocol.values()) {
                ports.add(new PodPort("serve-" + port + "-" + protocol.name().toLowerCase(), port, protocol));
            }
        }
        return ports;
    }
}
