package dev.weir.compiler.services;

import java.util.List;
import java.util.Optional;

/**
 * The Services of a cluster, compiled: every Service port with its backends, and every frontend.
 *
 * @param services  by {@link LoadBalanced#id()}: element i has id i
 * @param frontends in a stable order
 * @param problems  one line per refused Service, EndpointSlice or field, naming the object and the field
 */
public record ServiceTable(List<LoadBalanced> services, List<Frontend> frontends, List<String> problems) {
    public ServiceTable {
        services = List.copyOf(services);
        frontends = List.copyOf(frontends);
        problems = List.copyOf(problems);
        for (int i = 0; i < services.size(); i++) {
            if (services.get(i).id() != i) throw new IllegalArgumentException("service " + i + " has id " + services.get(i).id());
        }
    }

    /** The frontend at this address, port and protocol (ClusterIP, externalIP or LoadBalancer address). */
    public Optional<Frontend> frontend(int address, int port, dev.weir.compiler.cluster.Protocol protocol) {
        return frontends.stream()
                .filter(f -> f.address() == address && f.port() == port && f.protocol() == protocol).findFirst();
    }
}
