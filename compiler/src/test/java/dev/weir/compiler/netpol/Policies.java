package dev.weir.compiler.netpol;

import dev.weir.compiler.cluster.Protocol;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fabric8 builders shaped like upstream's policies.go helpers (GenNetworkPolicyWithNameAndPodSelector,
 * SetSpecIngressRules, ...), so ported cases read like the originals.
 */
public final class Policies {

    private Policies() {}

    /** GenNetworkPolicyWithNameAndPodSelector(name, selector, parts...) created in {@code namespace}. */
    @SafeVarargs
    public static NetworkPolicy policy(String namespace, String name, LabelSelector podSelector,
                                       Consumer<NetworkPolicySpec>... parts) {
        var spec = new NetworkPolicySpec();
        spec.setPodSelector(podSelector);
        for (Consumer<NetworkPolicySpec> part : parts) {
            part.accept(spec);
        }
        return new NetworkPolicyBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withSpec(spec).build();
    }

    /** SetSpecIngressRules: the first call adds the Ingress policy type and an (empty, deny-all) rule list. */
    public static Consumer<NetworkPolicySpec> ingressRules(NetworkPolicyIngressRule... rules) {
        return spec -> {
            if (spec.getPolicyTypes() == null || !spec.getPolicyTypes().contains("Ingress")) {
                spec.setPolicyTypes(appended(spec.getPolicyTypes(), List.of("Ingress")));
            }
            spec.setIngress(appended(spec.getIngress(), List.of(rules)));
        };
    }

    /** SetSpecEgressRules: the first call adds the Egress policy type and an (empty, deny-all) rule list. */
    public static Consumer<NetworkPolicySpec> egressRules(NetworkPolicyEgressRule... rules) {
        return spec -> {
            if (spec.getPolicyTypes() == null || !spec.getPolicyTypes().contains("Egress")) {
                spec.setPolicyTypes(appended(spec.getPolicyTypes(), List.of("Egress")));
            }
            spec.setEgress(appended(spec.getEgress(), List.of(rules)));
        };
    }

    /** Overrides policyTypes, as upstream does by assigning policy.Spec.PolicyTypes. */
    public static Consumer<NetworkPolicySpec> policyTypes(String... types) {
        return spec -> spec.setPolicyTypes(new ArrayList<>(List.of(types)));
    }

    public static NetworkPolicyIngressRule from(NetworkPolicyPeer... peers) {
        return ingress(List.of(peers), List.of());
    }

    public static NetworkPolicyIngressRule ingressOn(NetworkPolicyPort... ports) {
        return ingress(List.of(), List.of(ports));
    }

    public static NetworkPolicyIngressRule ingress(List<NetworkPolicyPeer> from, List<NetworkPolicyPort> ports) {
        var rule = new NetworkPolicyIngressRule();
        rule.setFrom(new ArrayList<>(from));
        rule.setPorts(new ArrayList<>(ports));
        return rule;
    }

    public static NetworkPolicyEgressRule to(NetworkPolicyPeer... peers) {
        return egress(List.of(peers), List.of());
    }

    public static NetworkPolicyEgressRule egressOn(NetworkPolicyPort... ports) {
        return egress(List.of(), List.of(ports));
    }

    public static NetworkPolicyEgressRule egress(List<NetworkPolicyPeer> to, List<NetworkPolicyPort> ports) {
        var rule = new NetworkPolicyEgressRule();
        rule.setTo(new ArrayList<>(to));
        rule.setPorts(new ArrayList<>(ports));
        return rule;
    }

    public static NetworkPolicyPeer podPeer(LabelSelector pods) {
        return new NetworkPolicyPeer(null, null, pods);
    }

    public static NetworkPolicyPeer namespacePeer(LabelSelector namespaces) {
        return new NetworkPolicyPeer(null, namespaces, null);
    }

    public static NetworkPolicyPeer peer(LabelSelector namespaces, LabelSelector pods) {
        return new NetworkPolicyPeer(null, namespaces, pods);
    }

    public static NetworkPolicyPeer ipBlock(String cidr, String... except) {
        return new NetworkPolicyPeer(new IPBlock(cidr, new ArrayList<>(List.of(except))), null, null);
    }

    public static NetworkPolicyPort port(int number) {
        return new NetworkPolicyPort(null, new IntOrString(number), null);
    }

    public static NetworkPolicyPort port(int number, Protocol protocol) {
        return new NetworkPolicyPort(null, new IntOrString(number), protocol.name());
    }

    public static NetworkPolicyPort portRange(int first, int last, Protocol protocol) {
        return new NetworkPolicyPort(last, new IntOrString(first), protocol.name());
    }

    public static NetworkPolicyPort namedPort(String name) {
        return new NetworkPolicyPort(null, new IntOrString(name), null);
    }

    public static NetworkPolicyPort namedPort(String name, Protocol protocol) {
        return new NetworkPolicyPort(null, new IntOrString(name), protocol.name());
    }

    public static NetworkPolicyPort anyPort(Protocol protocol) {
        return new NetworkPolicyPort(null, null, protocol.name());
    }

    /** An empty selector: selects everything. */
    public static LabelSelector everything() {
        return new LabelSelector();
    }

    /** matchLabels from key, value, key, value, ... */
    public static LabelSelector matchLabels(String... keysAndValues) {
        var labels = new LinkedHashMap<String, String>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            labels.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new LabelSelectorBuilder().withMatchLabels(labels).build();
    }

    public static LabelSelector matchExpression(String key, String operator, String... values) {
        return new LabelSelectorBuilder().addNewMatchExpression()
                .withKey(key).withOperator(operator).withValues(values).endMatchExpression().build();
    }

    private static <T> List<T> appended(List<T> list, List<T> values) {
        var copy = new ArrayList<T>(list == null ? List.of() : list);
        copy.addAll(values);
        return copy;
    }
}
