package dev.weir.compiler.services;

import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.cluster.Protocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a cluster's Services into a {@link ServiceTable}, with kube-proxy's semantics: one
 * {@link LoadBalanced} per Service port (Services in input order, ports in spec order, numbered from 0), its
 * backends chosen by {@link BackendSelection}, and its frontends: each cluster IP, external IP and LoadBalancer
 * ingress IP at the port, and the node port (address 0) of NodePort and LoadBalancer Services.
 *
 * <p>A frontend two Service ports claim stays with the first; the later one's is refused, with a line in
 * {@link ServiceTable#problems()} naming both. The API server's allocators keep cluster IPs and node ports
 * apart, but nothing keeps two Services from naming the same external IP, and a snapshot from files has no
 * allocator at all; kube-proxy does not arbitrate, so which one wins there depends on its rules' order.
 */
public final class ServiceCompiler {

    private ServiceCompiler() {}

    public static ServiceTable compile(ClusterState cluster) {
        var services = new ArrayList<LoadBalanced>();
        var frontends = new ArrayList<Frontend>();
        var problems = new ArrayList<String>();
        Map<FrontendKey, LoadBalanced> claimed = new HashMap<>();
        // One pass over the slices, not one per Service: an operator compiles on every change.
        Map<ServiceRef, List<ClusterEndpointSlice>> slicesOf = cluster.endpointSlices().stream()
                .collect(java.util.stream.Collectors.groupingBy(slice -> new ServiceRef(slice.namespace(), slice.service())));
        for (ClusterService service : cluster.services()) {
            List<ClusterEndpointSlice> slices = slicesOf.getOrDefault(service.ref(), List.of());
            for (ServicePort port : service.ports()) {
                var balanced = new LoadBalanced(services.size(), service.ref(), port.name(), port.protocol(),
                        BackendSelection.backends(slices, port), service.affinitySeconds(), service.internalLocal(),
                        service.externalLocal());
                services.add(balanced);
                for (Frontend frontend : frontends(service, port, balanced.id())) {
                    LoadBalanced owner = claimed.putIfAbsent(new FrontendKey(frontend), balanced);
                    if (owner == null) {
                        frontends.add(frontend);
                    } else if (owner != balanced) {
                        problems.add(describe(balanced) + ": " + describe(frontend) + " is already " + describe(owner)
                                + "'s; this frontend is left out");
                    } // else the same port reached twice by one address (an external IP that is also its cluster IP)
                }
            }
        }
        return new ServiceTable(services, frontends, problems);
    }

    private static List<Frontend> frontends(ClusterService service, ServicePort port, int id) {
        var frontends = new ArrayList<Frontend>();
        service.clusterIps().forEach(ip -> frontends.add(new Frontend(ip, port.port(), port.protocol(), Frontend.Kind.CLUSTER_IP, id)));
        service.externalIps().forEach(ip -> frontends.add(new Frontend(ip, port.port(), port.protocol(), Frontend.Kind.EXTERNAL_IP, id)));
        service.loadBalancerIps().forEach(ip -> frontends.add(new Frontend(ip, port.port(), port.protocol(), Frontend.Kind.LOAD_BALANCER, id)));
        if (port.nodePort() != 0 && service.type() != ClusterService.Type.CLUSTER_IP) {
            frontends.add(new Frontend(0, port.nodePort(), port.protocol(), Frontend.Kind.NODE_PORT, id));
        }
        return frontends;
    }

    /** What makes two frontends the same: the datapath looks them up by address, port and protocol. */
    private record FrontendKey(int address, int port, Protocol protocol) {
        FrontendKey(Frontend frontend) {
            this(frontend.address(), frontend.port(), frontend.protocol());
        }
    }

    private static String describe(LoadBalanced service) {
        return "Service " + service.service() + (service.portName().isEmpty() ? "" : " port " + service.portName());
    }

    private static String describe(Frontend frontend) {
        String where = frontend.kind() == Frontend.Kind.NODE_PORT ? String.valueOf(frontend.port())
                : Ipv4.text(frontend.address()) + ":" + frontend.port();
        String kind = switch (frontend.kind()) {
            case CLUSTER_IP -> "cluster IP";
            case EXTERNAL_IP -> "external IP";
            case LOAD_BALANCER -> "LoadBalancer IP";
            case NODE_PORT -> "NodePort";
        };
        return kind + " frontend " + where + "/" + frontend.protocol();
    }
}
