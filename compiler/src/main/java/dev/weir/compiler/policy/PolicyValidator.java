package dev.weir.compiler.policy;

import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Protocol;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.util.List;
import java.util.Map;

/**
 * Checks a NetworkPolicy the way the API server does (pkg/apis/networking/validation in kubernetes), so that
 * Weir never compiles a policy a cluster would have refused, and refuses fields it does not know.
 *
 * <p>Deliberately stricter than the API server in two places, each refused with a reason: unknown fields
 * (including the {@code status} that alpha clusters had), and ambiguous IP spellings (see {@link Cidr}).
 */
public final class PolicyValidator {

    private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
    private static final List<String> POLICY_TYPES = List.of("Ingress", "Egress");

    private PolicyValidator() {}

    /** All problems found, in field order, each with the scope it refuses; empty when the policy is valid. */
    public static List<PolicyProblem> validate(NetworkPolicy policy) {
        var problems = new ProblemList(ClusterState.policyKey(policy));
        problems.unknownFields("", policy.getAdditionalProperties());
        validateMetadata(policy.getMetadata(), problems);
        NetworkPolicySpec spec = policy.getSpec();
        if (spec == null) {
            return problems.toList(); // no spec: an empty podSelector and no rules, a default-deny-ingress
        }
        problems.unknownFields("spec", spec.getAdditionalProperties());
        LabelSelectors.validate(spec.getPodSelector(), "spec.podSelector", problems.within(ProblemScope.SELECTION));
        List<NetworkPolicyIngressRule> ingress = nullToEmpty(spec.getIngress());
        for (int i = 0; i < ingress.size(); i++) {
            String path = "spec.ingress[" + i + "]";
            ProblemList ruleProblems = problems.within(new ProblemScope.OneRule(Direction.INGRESS, i));
            NetworkPolicyIngressRule rule = ingress.get(i);
            if (rule == null) {
                ruleProblems.nullValue(path, "a rule");
                continue;
            }
            ruleProblems.unknownFields(path, rule.getAdditionalProperties());
            validatePorts(rule.getPorts(), path, ruleProblems);
            validatePeers(rule.getFrom(), path + ".from", ruleProblems);
        }
        List<NetworkPolicyEgressRule> egress = nullToEmpty(spec.getEgress());
        for (int i = 0; i < egress.size(); i++) {
            String path = "spec.egress[" + i + "]";
            ProblemList ruleProblems = problems.within(new ProblemScope.OneRule(Direction.EGRESS, i));
            NetworkPolicyEgressRule rule = egress.get(i);
            if (rule == null) {
                ruleProblems.nullValue(path, "a rule");
                continue;
            }
            ruleProblems.unknownFields(path, rule.getAdditionalProperties());
            validatePorts(rule.getPorts(), path, ruleProblems);
            validatePeers(rule.getTo(), path + ".to", ruleProblems);
        }
        validatePolicyTypes(nullToEmpty(spec.getPolicyTypes()), problems.within(ProblemScope.POLICY_TYPES));
        return problems.toList();
    }

    private static void validateMetadata(ObjectMeta meta, ProblemList problems) {
        String name = meta == null ? null : meta.getName();
        if (name == null || name.isEmpty()) {
            problems.required("metadata.name", "name or generateName is required");
        } else {
            ApiNames.dns1123SubdomainProblems(name).forEach(p -> problems.invalid("metadata.name", name, p));
        }
        String namespace = meta == null ? null : meta.getNamespace();
        if (namespace != null && !namespace.isEmpty()) {
            ApiNames.dns1123LabelProblems(namespace).forEach(p -> problems.invalid("metadata.namespace", namespace, p));
        }
    }

    private static void validatePorts(List<NetworkPolicyPort> ports, String rulePath, ProblemList problems) {
        List<NetworkPolicyPort> list = nullToEmpty(ports);
        for (int i = 0; i < list.size(); i++) {
            String path = rulePath + ".ports[" + i + "]";
            if (list.get(i) == null) {
                problems.nullValue(path, "a port");
            } else {
                validatePort(list.get(i), path, problems);
            }
        }
    }

    private static void validatePort(NetworkPolicyPort port, String path, ProblemList problems) {
        problems.unknownFields(path, port.getAdditionalProperties());
        String protocol = port.getProtocol();
        if (protocol != null && Protocol.fromApi(protocol).isEmpty()) {
            problems.notSupported(path + ".protocol", protocol, PROTOCOLS);
        }
        IntOrString number = port.getPort();
        Integer endPort = port.getEndPort();
        if (number == null || (number.getIntVal() == null && number.getStrVal() == null)) {
            if (endPort != null) {
                problems.invalid(path + ".endPort", endPort, "may not be specified when `port` is not specified");
            }
            return;
        }
        if (number.getIntVal() != null) {
            int value = number.getIntVal();
            if (!isPortNumber(value)) {
                problems.invalid(path + ".port", value, "must be between 1 and 65535, inclusive");
            }
            if (endPort != null) {
                if (endPort < value) {
                    problems.invalid(path + ".endPort", endPort, "must be greater than or equal to `port`");
                }
                if (!isPortNumber(endPort)) {
                    problems.invalid(path + ".endPort", endPort, "must be between 1 and 65535, inclusive");
                }
            }
        } else {
            String name = number.getStrVal();
            if (endPort != null) {
                problems.invalid(path + ".endPort", endPort, "may not be specified when `port` is non-numeric");
            }
            ApiNames.portNameProblems(name).forEach(p -> problems.invalid(path + ".port", name, p));
        }
    }

    private static void validatePeers(List<NetworkPolicyPeer> peers, String path, ProblemList problems) {
        List<NetworkPolicyPeer> list = nullToEmpty(peers);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                problems.nullValue(path + "[" + i + "]", "a peer");
            } else {
                validatePeer(list.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private static void validatePeer(NetworkPolicyPeer peer, String path, ProblemList problems) {
        problems.unknownFields(path, peer.getAdditionalProperties());
        int kinds = 0;
        if (peer.getPodSelector() != null) {
            kinds++;
            LabelSelectors.validate(peer.getPodSelector(), path + ".podSelector", problems);
        }
        if (peer.getNamespaceSelector() != null) {
            kinds++;
            LabelSelectors.validate(peer.getNamespaceSelector(), path + ".namespaceSelector", problems);
        }
        if (peer.getIpBlock() != null) {
            kinds++;
            validateIpBlock(peer.getIpBlock(), path + ".ipBlock", problems);
        }
        if (kinds == 0) {
            problems.required(path, "must specify a peer");
        } else if (kinds > 1 && peer.getIpBlock() != null) {
            problems.forbidden(path, "may not specify both ipBlock and another peer");
        }
    }

    private static void validateIpBlock(IPBlock block, String path, ProblemList problems) {
        problems.unknownFields(path, block.getAdditionalProperties());
        String cidrText = block.getCidr();
        if (cidrText == null || cidrText.isEmpty()) {
            problems.required(path + ".cidr", "");
            return;
        }
        Cidr cidr;
        try {
            cidr = Cidr.parse(cidrText);
        } catch (IllegalArgumentException e) {
            problems.invalid(path + ".cidr", cidrText, e.getMessage());
            return;
        }
        List<String> except = nullToEmpty(block.getExcept());
        for (int i = 0; i < except.size(); i++) {
            String exceptPath = path + ".except[" + i + "]";
            String exceptText = except.get(i);
            if (exceptText == null) {
                problems.nullValue(exceptPath, "a CIDR");
                continue;
            }
            try {
                if (!cidr.strictlyContains(Cidr.parse(exceptText))) {
                    problems.invalid(exceptPath, exceptText, "must be a strict subset of `cidr`");
                }
            } catch (IllegalArgumentException e) {
                problems.invalid(exceptPath, exceptText, e.getMessage());
            }
        }
    }

    private static void validatePolicyTypes(List<String> types, ProblemList problems) {
        if (types.size() > POLICY_TYPES.size()) {
            problems.invalid("spec.policyTypes", types, "may not specify more than two policyTypes");
            return;
        }
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            if (type == null || !POLICY_TYPES.contains(type)) {
                problems.notSupported("spec.policyTypes[" + i + "]", type, POLICY_TYPES);
            }
        }
    }

    private static boolean isPortNumber(int value) {
        return value >= 1 && value <= 65535;
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** Label selector rules (apimachinery's ValidateLabelSelector, with invalid values refused). */
    private static final class LabelSelectors {

        static void validate(LabelSelector selector, String path, ProblemList problems) {
            if (selector == null) {
                return;
            }
            problems.unknownFields(path, selector.getAdditionalProperties());
            Map<String, String> matchLabels = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
            matchLabels.forEach((key, value) -> {
                String keyPath = path + ".matchLabels";
                ApiNames.qualifiedNameProblems(key == null ? "" : key).forEach(p -> problems.invalid(keyPath, key, p));
                if (value == null) {
                    problems.nullValue(keyPath + "." + key, "a label value");
                } else {
                    ApiNames.labelValueProblems(value).forEach(p -> problems.invalid(keyPath, value, p));
                }
            });
            List<LabelSelectorRequirement> expressions = nullToEmpty(selector.getMatchExpressions());
            for (int i = 0; i < expressions.size(); i++) {
                String expressionPath = path + ".matchExpressions[" + i + "]";
                if (expressions.get(i) == null) {
                    problems.nullValue(expressionPath, "a requirement");
                } else {
                    validateRequirement(expressions.get(i), expressionPath, problems);
                }
            }
        }

        private static void validateRequirement(LabelSelectorRequirement requirement, String path, ProblemList problems) {
            problems.unknownFields(path, requirement.getAdditionalProperties());
            List<String> values = nullToEmpty(requirement.getValues());
            String operator = requirement.getOperator();
            switch (operator == null ? "" : operator) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        problems.required(path + ".values", "must be specified when `operator` is 'In' or 'NotIn'");
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        problems.forbidden(path + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                    }
                }
                default -> problems.invalid(path + ".operator", operator == null ? "" : operator, "not a valid selector operator");
            }
            String key = requirement.getKey() == null ? "" : requirement.getKey();
            ApiNames.qualifiedNameProblems(key).forEach(p -> problems.invalid(path + ".key", key, p));
            for (int i = 0; i < values.size(); i++) {
                String value = values.get(i);
                String valuePath = path + ".values[" + i + "]";
                if (value == null) {
                    problems.nullValue(valuePath, "a label value");
                } else {
                    ApiNames.labelValueProblems(value).forEach(p -> problems.invalid(valuePath, value, p));
                }
            }
        }
    }
}
