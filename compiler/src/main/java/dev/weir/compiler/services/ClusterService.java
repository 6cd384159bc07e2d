package dev.weir.compiler.services;

import java.util.List;
import java.util.Objects;

/**
 * What load balancing needs of a Service, after validation. Headless and ExternalName Services are not
 * represented (kube-proxy ignores them).
 *
 * @param clusterIps        IPv4 cluster addresses (host-order ints), at least one
 * @param externalIps       {@code spec.externalIPs}
 * @param loadBalancerIps   {@code status.loadBalancer.ingress[].ip}
 * @param affinitySeconds   sessionAffinity ClientIP's timeout, 0 for no affinity
 * @param internalLocal     internalTrafficPolicy Local
 * @param externalLocal     externalTrafficPolicy Local (NodePort and LoadBalancer only)
 * @param healthCheckNodePort the port the node answers health checks on, 0 for none
 * @param selected          whether the Service has a selector (else its EndpointSlices are made by hand)
 */
public record ClusterService(ServiceRef ref, Type type, List<Integer> clusterIps, List<Integer> externalIps,
                             List<Integer> loadBalancerIps, List<ServicePort> ports, int affinitySeconds,
                             boolean internalLocal, boolean externalLocal, int healthCheckNodePort, boolean selected) {

    public enum Type { CLUSTER_IP, NODE_PORT, LOAD_BALANCER }

    public ClusterService {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(type, "type");
        clusterIps = List.copyOf(clusterIps);
        externalIps = List.copyOf(externalIps);
        loadBalancerIps = List.copyOf(loadBalancerIps);
        ports = List.copyOf(ports);
    }
}
