package dev.weir.compiler.policy;

import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Protocol;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the cluster's NetworkPolicies into {@link Policy} values, validating each first. A policy with
 * problems fails closed, never open (see {@link Refusal}): its problems are reported, the rules they concern
 * are left out (they allow nothing), and the policy still isolates the pods it selects: every rule is refused
 * for problems outside the rules (metadata, unknown fields), and both directions are isolated when
 * policyTypes is unreadable. Only when whom it selects cannot be known (spec.podSelector) is the policy left
 * out altogether, since it could isolate nobody for sure. Weir is stricter than the API server in places (see {@link Cidr}), so a policy a
 * cluster admitted can meet this path. Policies come out sorted by namespace and name, so the input's order
 * never changes the output.
 */
public final class PolicyReader {

    /**
     * @param policies the policies read, by namespace and name, with their refused rules left out
     * @param problems what was refused, and why
     * @param warnings what was read but deserves a word (IPv6 ipBlocks, which match nothing on an IPv4 datapath)
     */
    public record Result(List<Policy> policies, List<PolicyProblem> problems, List<String> warnings) {
        public Result {
            policies = List.copyOf(policies);
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
        }
    }

    private PolicyReader() {}

    public static Result read(ClusterState cluster) {
        return read(cluster.policies());
    }

    public static Result read(List<NetworkPolicy> input) {
        var policies = new ArrayList<Policy>();
        var problems = new ArrayList<PolicyProblem>();
        var warnings = new ArrayList<String>();
        for (NetworkPolicy policy : input) {
            List<PolicyProblem> found = PolicyValidator.validate(policy);
            problems.addAll(found);
            Refusal refusal = found.isEmpty() ? Refusal.NONE : Refusal.of(found);
            if (!found.isEmpty()) {
                warnings.add(refusal.consequence(ClusterState.policyKey(policy)));
            }
            if (!refusal.selectionUnknown()) {
                policies.add(toPolicy(policy, warnings, refusal));
            }
        }
        policies.sort(Comparator.comparing(Policy::namespace).thenComparing(Policy::name));
        return new Result(policies, problems, warnings);
    }

    /** Reads one valid policy (validate it first). */
    public static Policy toPolicy(NetworkPolicy policy, List<String> warnings) {
        return toPolicy(policy, warnings, Refusal.NONE);
    }

    private static Policy toPolicy(NetworkPolicy policy, List<String> warnings, Refusal refused) {
        String namespace = ClusterState.namespaceOf(policy);
        String key = ClusterState.policyKey(policy);
        String name = key.substring(namespace.length() + 1); // "<unnamed>" when metadata.name is missing
        NetworkPolicySpec spec = policy.getSpec();
        if (spec == null) {
            return new Policy(namespace, name, PodSelection.inNamespace(namespace, LabelSelection.ALL),
                    Set.of(Direction.INGRESS), List.of(), List.of());
        }
        var ingress = new ArrayList<Rule>();
        var ingressRules = list(spec.getIngress());
        for (int i = 0; i < ingressRules.size(); i++) {
            if (refused.refuses(Direction.INGRESS, i)) continue;
            var rule = ingressRules.get(i);
            ingress.add(new Rule(i, ports(rule.getPorts()), peers(rule.getFrom(), namespace, key, "spec.ingress[" + i + "].from", warnings)));
        }
        var egress = new ArrayList<Rule>();
        var egressRules = list(spec.getEgress());
        for (int i = 0; i < egressRules.size(); i++) {
            if (refused.refuses(Direction.EGRESS, i)) continue;
            var rule = egressRules.get(i);
            egress.add(new Rule(i, ports(rule.getPorts()), peers(rule.getTo(), namespace, key, "spec.egress[" + i + "].to", warnings)));
        }
        return new Policy(namespace, name, PodSelection.inNamespace(namespace, LabelSelection.of(spec.getPodSelector())),
                refused.typesUnknown() ? EnumSet.allOf(Direction.class) : types(spec), ingress, egress);
    }

    /** policyTypes as given; absent: Ingress, plus Egress when there are egress rules. */
    private static Set<Direction> types(NetworkPolicySpec spec) {
        List<String> given = list(spec.getPolicyTypes());
        var types = EnumSet.noneOf(Direction.class);
        if (given.isEmpty()) {
            types.add(Direction.INGRESS);
            if (!list(spec.getEgress()).isEmpty()) {
                types.add(Direction.EGRESS);
            }
        } else {
            for (Direction direction : Direction.values()) {
                if (given.contains(direction.apiName)) {
                    types.add(direction);
                }
            }
        }
        return types;
    }

    private static List<PortMatch> ports(List<NetworkPolicyPort> ports) {
        var result = new ArrayList<PortMatch>();
        for (NetworkPolicyPort port : list(ports)) {
            Protocol protocol = Protocol.fromApi(port.getProtocol()).orElseThrow();
            IntOrString number = port.getPort();
            if (number == null || (number.getIntVal() == null && number.getStrVal() == null)) {
                result.add(new PortMatch.AnyPort(protocol));
            } else if (number.getIntVal() != null) {
                int first = number.getIntVal();
                result.add(new PortMatch.PortRange(protocol, first, port.getEndPort() == null ? first : port.getEndPort()));
            } else {
                result.add(new PortMatch.NamedPort(protocol, number.getStrVal()));
            }
        }
        return result;
    }

    private static List<Peer> peers(List<NetworkPolicyPeer> peers, String namespace, String policy, String path, List<String> warnings) {
        var result = new ArrayList<Peer>();
        List<NetworkPolicyPeer> list = list(peers);
        for (int i = 0; i < list.size(); i++) {
            NetworkPolicyPeer peer = list.get(i);
            if (peer.getIpBlock() != null) {
                Cidr cidr = Cidr.parse(peer.getIpBlock().getCidr());
                // Sorted and deduplicated, so equal blocks written differently share one bit.
                List<Cidr> except = list(peer.getIpBlock().getExcept()).stream().map(Cidr::parse).distinct()
                        .sorted(java.util.Comparator.comparingInt(Cidr::prefixLength).thenComparing(Cidr::toString)).toList();
                if (!cidr.isIpv4()) {
                    warnings.add("NetworkPolicy " + policy + ": " + path + "[" + i + "].ipBlock.cidr: " + peer.getIpBlock().getCidr()
                            + " is IPv6; Weir's datapath is IPv4-only, so this peer matches no traffic");
                }
                result.add(new Peer.AddressBlock(cidr, except));
            } else {
                LabelSelection pods = LabelSelection.of(peer.getPodSelector());
                PodSelection selection = peer.getNamespaceSelector() == null
                        ? PodSelection.inNamespace(namespace, pods)
                        : PodSelection.acrossNamespaces(LabelSelection.of(peer.getNamespaceSelector()), pods);
                result.add(new Peer.Pods(selection));
            }
        }
        return result;
    }

    private static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }
}
