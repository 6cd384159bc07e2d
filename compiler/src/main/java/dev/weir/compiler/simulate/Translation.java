package dev.weir.compiler.simulate;

import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.cluster.PodRef;

/**
 * What the client's egress program did to a connection to a Service address: the backend it chose, and
 * whether the reply, through the client's ingress program, came back from the Service address.
 *
 * @param backendPod    the pod the backend address is, or null (an endpoint outside the cluster's pods)
 * @param replyRestored whether the reply reached the client from the Service address and port (false when
 *                      the reply never got that far)
 */
public record Translation(int serviceAddress, int servicePort, int backendAddress, int backendPort, PodRef backendPod,
                          boolean replyRestored) {

    /** "10.96.0.10:80 -> shop/backend-1 (10.0.0.2:8080)" */
    public String explain() {
        String backend = Ipv4.text(backendAddress) + ":" + backendPort;
        return Ipv4.text(serviceAddress) + ":" + servicePort + " -> " + (backendPod == null ? backend : backendPod + " (" + backend + ")");
    }
}
