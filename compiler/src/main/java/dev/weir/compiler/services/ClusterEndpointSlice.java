package dev.weir.compiler.services;

import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.cluster.Protocol;
import java.util.List;
import java.util.Objects;

/**
 * What load balancing needs of a discovery.k8s.io/v1 EndpointSlice (IPv4 address type only).
 *
 * @param service the Service it belongs to (label kubernetes.io/service-name)
 */
public record ClusterEndpointSlice(String namespace, String name, String service, List<Port> ports, List<Endpoint> endpoints) {

    public ClusterEndpointSlice {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(service, "service");
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    /** @param name the Service port's name this is for, "" for an unnamed one */
    public record Port(String name, Protocol protocol, int port) {
        public Port {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(protocol, "protocol");
            ServicePort.requirePort(port, "port");
        }
    }

    /**
     * @param addresses IPv4 addresses (host-order ints); kube-proxy uses the first
     * @param ready     conditions.ready (absent means ready)
     * @param serving   conditions.serving (absent means as ready)
     * @param terminating conditions.terminating (absent means false)
     * @param node      nodeName, or null
     * @param pod       the targetRef when it is a Pod, or null
     */
    public record Endpoint(List<Integer> addresses, boolean ready, boolean serving, boolean terminating, String node, PodRef pod) {
        public Endpoint {
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) throw new IllegalArgumentException("an endpoint needs an address");
        }
    }
}
