package dev.weir.compiler.services;

import dev.weir.compiler.cluster.Protocol;
import java.util.List;

/**
 * One Service port with the backends kube-proxy would send its new connections to: the ready endpoints, or,
 * when none is ready, the serving terminating ones (graceful termination). Backends are in a stable order
 * (address, then port), so the same endpoints always give the same Maglev table.
 *
 * @param id      its number in this table (the datapath indexes its Maglev row by it)
 * @param portName the Service port's name, "" when unnamed
 * @param backends the usable backends, possibly none (then connections are refused)
 */
public record LoadBalanced(int id, ServiceRef service, String portName, Protocol protocol, List<Backend> backends,
                           int affinitySeconds, boolean internalLocal, boolean externalLocal) {
    public LoadBalanced {
        backends = List.copyOf(backends);
    }
}
