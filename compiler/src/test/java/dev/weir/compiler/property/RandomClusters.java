package dev.weir.compiler.property;

import dev.weir.compiler.cluster.ClusterNamespace;
import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodPort;
import dev.weir.compiler.cluster.Protocol;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random clusters with valid policies of every shape the API allows: selectors with all operators,
 * every peer kind, numbered, ranged, named and protocol-only ports, all policyTypes spellings. Labels and
 * port names come from small vocabularies so that selectors and named ports actually hit, and a port name
 * maps to different numbers on different pods.
 */
public final class RandomClusters {

    public static final List<Integer> PORTS = List.of(53, 80, 81, 8080);
    private static final List<String> APPS = List.of("web", "db", "api");
    private static final List<String> TEAMS = List.of("red", "blue");
    private static final List<String> PORT_NAMES = List.of("http", "dns", "metrics");

    private final Random random;

    public RandomClusters(long seed) {
        this.random = new Random(seed);
    }

    public ClusterState cluster() {
        var builder = ClusterState.builder();
        int namespaces = 2 + random.nextInt(3);
        for (int n = 0; n < namespaces; n++) {
            String namespace = "ns" + n;
            var labels = new HashMap<String, String>();
            if (random.nextBoolean()) {
                labels.put("team", pick(TEAMS));
            }
            builder.namespace(new ClusterNamespace(namespace, labels));
            int pods = 1 + random.nextInt(4);
            for (int p = 0; p < pods; p++) {
                builder.pod(pod(namespace, n, p));
            }
            int policies = random.nextInt(4);
            for (int i = 0; i < policies; i++) {
                builder.policy(policy(namespace, "policy-" + i));
            }
        }
        return builder.build();
    }

    private ClusterPod pod(String namespace, int n, int p) {
        var labels = new HashMap<String, String>();
        labels.put("name", "pod" + p); // unique within the namespace, so tests can single a pod out
        if (random.nextInt(4) > 0) {
            labels.put("app", pick(APPS));
        }
        if (random.nextBoolean()) {
            labels.put("tier", random.nextBoolean() ? "front" : "back");
        }
        var ports = new ArrayList<PodPort>();
        for (String name : PORT_NAMES) {
            if (random.nextBoolean()) {
                ports.add(new PodPort(name, pick(PORTS), pick(List.of(Protocol.values()))));
            }
        }
        return new ClusterPod(namespace, "pod" + p, labels, "10." + n + ".0." + (p + 1), ports);
    }

    NetworkPolicy policy(String namespace, String name) {
        var spec = new NetworkPolicySpec();
        spec.setPodSelector(selector(false));
        switch (random.nextInt(4)) {
            case 0 -> spec.setPolicyTypes(new ArrayList<>());
            case 1 -> spec.setPolicyTypes(new ArrayList<>(List.of("Ingress")));
            case 2 -> spec.setPolicyTypes(new ArrayList<>(List.of("Egress")));
            default -> spec.setPolicyTypes(new ArrayList<>(List.of("Ingress", "Egress")));
        }
        var ingress = new ArrayList<NetworkPolicyIngressRule>();
        for (int i = random.nextInt(3); i > 0; i--) {
            ingress.add(new NetworkPolicyIngressRule(peers(), ports()));
        }
        var egress = new ArrayList<NetworkPolicyEgressRule>();
        for (int i = random.nextInt(3); i > 0; i--) {
            egress.add(new NetworkPolicyEgressRule(ports(), peers()));
        }
        spec.setIngress(ingress);
        spec.setEgress(egress);
        return new NetworkPolicyBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withSpec(spec).build();
    }

    private List<NetworkPolicyPeer> peers() {
        var peers = new ArrayList<NetworkPolicyPeer>();
        for (int i = random.nextInt(3); i > 0; i--) {
            peers.add(switch (random.nextInt(4)) {
                case 0 -> new NetworkPolicyPeer(null, null, selector(false));
                case 1 -> new NetworkPolicyPeer(null, selector(true), null);
                case 2 -> new NetworkPolicyPeer(null, selector(true), selector(false));
                default -> new NetworkPolicyPeer(ipBlock(), null, null);
            });
        }
        return peers;
    }

    private IPBlock ipBlock() {
        int n = random.nextInt(4);
        return switch (random.nextInt(3)) {
            case 0 -> new IPBlock("10." + n + ".0." + (1 + random.nextInt(4)) + "/32", new ArrayList<>());
            case 1 -> new IPBlock("10." + n + ".0.0/16", new ArrayList<>(List.of("10." + n + ".0." + (1 + random.nextInt(4)) + "/32")));
            default -> new IPBlock("0.0.0.0/0", new ArrayList<>(List.of("10." + n + ".0.0/24")));
        };
    }

    private List<NetworkPolicyPort> ports() {
        var ports = new ArrayList<NetworkPolicyPort>();
        for (int i = random.nextInt(3); i > 0; i--) {
            String protocol = random.nextInt(3) == 0 ? null : pick(List.of(Protocol.values())).name();
            ports.add(switch (random.nextInt(4)) {
                case 0 -> new NetworkPolicyPort(null, new IntOrString(pick(PORTS)), protocol);
                case 1 -> {
                    int first = pick(PORTS);
                    yield new NetworkPolicyPort(first + random.nextInt(100), new IntOrString(first), protocol);
                }
                case 2 -> new NetworkPolicyPort(null, new IntOrString(pick(PORT_NAMES)), protocol);
                default -> new NetworkPolicyPort(null, null, protocol);
            });
        }
        return ports;
    }

    private LabelSelector selector(boolean forNamespaces) {
        var selector = new LabelSelector();
        String key = forNamespaces ? "team" : pick(List.of("app", "tier"));
        List<String> values = forNamespaces ? TEAMS : key.equals("app") ? APPS : List.of("front", "back");
        switch (random.nextInt(forNamespaces ? 4 : 5)) {
            case 0 -> { } // empty: selects everything
            case 1 -> selector.setMatchLabels(new LinkedHashMap<>(Map.of(key, pick(values))));
            case 2 -> selector.setMatchExpressions(new ArrayList<>(List.of(requirement(key, pick(List.of("In", "NotIn")), pick(values)))));
            case 3 -> selector.setMatchExpressions(new ArrayList<>(List.of(requirement(key, pick(List.of("Exists", "DoesNotExist")), null))));
            default -> selector.setMatchLabels(new LinkedHashMap<>(Map.of("name", "pod" + random.nextInt(4))));
        }
        if (forNamespaces && random.nextInt(4) == 0) {
            selector.setMatchLabels(new LinkedHashMap<>(Map.of(ClusterNamespace.NAME_LABEL, "ns" + random.nextInt(4))));
        }
        return selector;
    }

    private static LabelSelectorRequirement requirement(String key, String operator, String value) {
        return new LabelSelectorRequirement(key, operator, value == null ? new ArrayList<>() : new ArrayList<>(List.of(value)));
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
