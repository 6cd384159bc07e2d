package dev.weir.compiler.services;

import dev.weir.compiler.cluster.Protocol;

/**
 * An address, port and protocol that leads to a Service port.
 *
 * @param address IPv4 address (host-order int); 0 for a NodePort, which every node address serves
 * @param service the {@link LoadBalanced#id()} it leads to
 */
public record Frontend(int address, int port, Protocol protocol, Kind kind, int service) {
    public enum Kind { CLUSTER_IP, EXTERNAL_IP, LOAD_BALANCER, NODE_PORT }
}
