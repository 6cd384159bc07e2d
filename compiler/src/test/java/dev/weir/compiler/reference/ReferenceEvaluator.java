package dev.weir.compiler.reference;

import dev.weir.compiler.cluster.ClusterNamespace;
import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodPort;
import dev.weir.compiler.cluster.Protocol;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * The NetworkPolicy semantics written as plainly as possible, straight from the API reference, to be the
 * yardstick for the compiler. It shares no policy code with the main tree on purpose (only the cluster model),
 * and it expects valid policies (run the validator first).
 *
 * <p>Decisions where the specification leaves room, made as upstream's e2e tests and major plugins do:
 * <ul>
 *   <li>ipBlock matches any address in cidr and not in except, pod IPs included (e2e "should allow egress
 *       access to server in CIDR block" targets a pod IP).
 *   <li>A named port matches when the destination pod declares a container port of that name, with the rule's
 *       protocol, and that number; for egress that is each peer pod's own port, which may differ between pods.
 *   <li>A pod talking to itself is always allowed.
 * </ul>
 */
public final class ReferenceEvaluator implements ReachabilityEngine {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Verdicts load(ClusterState cluster) {
        return (source, destination, port, protocol) -> allows(cluster, source, destination, port, protocol);
    }

    static boolean allows(ClusterState cluster, Endpoint source, Endpoint destination, int port, Protocol protocol) {
        if (source instanceof Endpoint.External && destination instanceof Endpoint.External) {
            throw new IllegalArgumentException("at least one end must be a pod of the cluster");
        }
        if (source.equals(destination)) {
            return true;
        }
        boolean egressAllowed = !(source instanceof Endpoint.Pod from)
                || egressAllows(cluster, pod(cluster, from), destination, port, protocol);
        boolean ingressAllowed = !(destination instanceof Endpoint.Pod to)
                || ingressAllows(cluster, pod(cluster, to), source, port, protocol);
        return egressAllowed && ingressAllowed;
    }

    private static boolean ingressAllows(ClusterState cluster, ClusterPod target, Endpoint source, int port, Protocol protocol) {
        boolean isolated = false;
        for (NetworkPolicy policy : cluster.policiesIn(target.namespace())) {
            if (!selects(policy, target) || !hasType(policy, "Ingress")) {
                continue;
            }
            isolated = true;
            for (NetworkPolicyIngressRule rule : list(policy.getSpec().getIngress())) {
                if (portsMatch(rule.getPorts(), target, port, protocol)
                        && peersMatch(cluster, rule.getFrom(), ClusterState.namespaceOf(policy), source)) {
                    return true;
                }
            }
        }
        return !isolated;
    }

    private static boolean egressAllows(ClusterState cluster, ClusterPod client, Endpoint destination, int port, Protocol protocol) {
        ClusterPod destinationPod = destination instanceof Endpoint.Pod to ? pod(cluster, to) : null;
        boolean isolated = false;
        for (NetworkPolicy policy : cluster.policiesIn(client.namespace())) {
            if (!selects(policy, client) || !hasType(policy, "Egress")) {
                continue;
            }
            isolated = true;
            for (NetworkPolicyEgressRule rule : list(policy.getSpec().getEgress())) {
                if (portsMatch(rule.getPorts(), destinationPod, port, protocol)
                        && peersMatch(cluster, rule.getTo(), ClusterState.namespaceOf(policy), destination)) {
                    return true;
                }
            }
        }
        return !isolated;
    }

    private static boolean selects(NetworkPolicy policy, ClusterPod pod) {
        return policy.getSpec() == null || matches(policy.getSpec().getPodSelector(), pod.labels());
    }

    /** Without policyTypes: Ingress always, Egress when there are egress rules. */
    private static boolean hasType(NetworkPolicy policy, String type) {
        if (policy.getSpec() == null) {
            return type.equals("Ingress");
        }
        List<String> types = list(policy.getSpec().getPolicyTypes());
        if (!types.isEmpty()) {
            return types.contains(type);
        }
        return type.equals("Ingress") || !list(policy.getSpec().getEgress()).isEmpty();
    }

    /** Missing or empty ports: every port of every protocol. */
    private static boolean portsMatch(List<NetworkPolicyPort> ports, ClusterPod destination, int port, Protocol protocol) {
        if (list(ports).isEmpty()) {
            return true;
        }
        for (NetworkPolicyPort rulePort : ports) {
            Protocol ruleProtocol = rulePort.getProtocol() == null ? Protocol.TCP : Protocol.valueOf(rulePort.getProtocol());
            if (ruleProtocol != protocol) {
                continue;
            }
            if (rulePort.getPort() == null) {
                return true;
            }
            if (rulePort.getPort().getIntVal() != null) {
                int first = rulePort.getPort().getIntVal();
                int last = rulePort.getEndPort() == null ? first : rulePort.getEndPort();
                if (first <= port && port <= last) {
                    return true;
                }
            } else if (destination != null && declaresNamedPort(destination, rulePort.getPort().getStrVal(), port, protocol)) {
                return true;
            }
        }
        return false;
    }

    private static boolean declaresNamedPort(ClusterPod pod, String name, int port, Protocol protocol) {
        for (PodPort declared : pod.ports()) {
            if (name.equals(declared.name()) && declared.number() == port && declared.protocol() == protocol) {
                return true;
            }
        }
        return false;
    }

    /** Missing or empty peers: everyone, inside the cluster or not. */
    private static boolean peersMatch(ClusterState cluster, List<NetworkPolicyPeer> peers, String policyNamespace, Endpoint other) {
        if (list(peers).isEmpty()) {
            return true;
        }
        for (NetworkPolicyPeer peer : peers) {
            if (peerMatches(cluster, peer, policyNamespace, other)) {
                return true;
            }
        }
        return false;
    }

    private static boolean peerMatches(ClusterState cluster, NetworkPolicyPeer peer, String policyNamespace, Endpoint other) {
        if (peer.getIpBlock() != null) {
            String ip = switch (other) {
                case Endpoint.External external -> external.ip();
                case Endpoint.Pod pod -> pod(cluster, pod).ip();
            };
            return ip != null && inIpBlock(peer.getIpBlock(), ip);
        }
        if (!(other instanceof Endpoint.Pod podEndpoint)) {
            return false; // selectors only ever select pods
        }
        ClusterPod pod = pod(cluster, podEndpoint);
        boolean namespaceMatches = peer.getNamespaceSelector() == null
                ? pod.namespace().equals(policyNamespace)
                : matches(peer.getNamespaceSelector(), namespaceLabels(cluster, pod.namespace()));
        boolean podMatches = peer.getPodSelector() == null || matches(peer.getPodSelector(), pod.labels());
        return namespaceMatches && podMatches;
    }

    private static boolean inIpBlock(IPBlock block, String ip) {
        if (!inCidr(block.getCidr(), ip)) {
            return false;
        }
        for (String except : list(block.getExcept())) {
            if (inCidr(except, ip)) {
                return false;
            }
        }
        return true;
    }

    /** Bit-by-bit prefix comparison; different address families never match. */
    private static boolean inCidr(String cidr, String ip) {
        String[] parts = cidr.split("/");
        byte[] network = InetAddress.ofLiteral(parts[0]).getAddress();
        byte[] address = InetAddress.ofLiteral(ip).getAddress();
        if (network.length != address.length) {
            return false;
        }
        int prefix = Integer.parseInt(parts[1]);
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((network[bit / 8] & mask) != (address[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** An absent selector never reaches here for pods; an empty one matches everything. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null) {
            for (var wanted : selector.getMatchLabels().entrySet()) {
                if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
                    return false;
                }
            }
        }
        for (LabelSelectorRequirement requirement : list(selector.getMatchExpressions())) {
            String value = labels.get(requirement.getKey());
            boolean ok = switch (requirement.getOperator()) {
                case "In" -> value != null && requirement.getValues().contains(value);
                case "NotIn" -> value == null || !requirement.getValues().contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new IllegalArgumentException("invalid operator " + requirement.getOperator());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> namespaceLabels(ClusterState cluster, String namespace) {
        return cluster.namespace(namespace).map(ClusterNamespace::labels).orElse(Map.of());
    }

    private static ClusterPod pod(ClusterState cluster, Endpoint.Pod endpoint) {
        return cluster.pod(endpoint.ref()).orElseThrow(() -> new IllegalArgumentException("no pod " + endpoint.ref()));
    }

    private static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }
}
