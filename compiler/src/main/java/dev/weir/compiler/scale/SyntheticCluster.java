package dev.weir.compiler.scale;

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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A large, plausible cluster for benchmarks and scale tests: namespaces of four-tier applications
 * (frontend, backend, database, cache; replicas share labels), namespace labels for teams and
 * environments, and per namespace a mix of the policies people write: default deny, tier-to-tier
 * allows on numbered and named ports, cross-namespace monitoring, egress to CIDRs with excepts.
 */
public final class SyntheticCluster {

    private static final List<String> TIERS = List.of("frontend", "backend", "database", "cache");
    private static final List<String> TEAMS = List.of("payments", "search", "ads", "identity", "platform", "data", "growth", "support");

    private final SplittableRandom random;

    private SyntheticCluster(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * @param namespaces          how many namespaces
     * @param podsPerNamespace    pods per namespace (spread over the four tiers)
     * @param policiesPerNamespace policies per namespace
     */
    public static ClusterState generate(int namespaces, int podsPerNamespace, int policiesPerNamespace, long seed) {
        return new SyntheticCluster(seed).cluster(namespaces, podsPerNamespace, policiesPerNamespace);
    }

    private ClusterState cluster(int namespaces, int podsPerNamespace, int policiesPerNamespace) {
        var builder = ClusterState.builder();
        builder.namespace(new ClusterNamespace("monitoring", Map.of("team", "platform", "purpose", "monitoring")));
        builder.pod(pod("monitoring", "prometheus-0", Map.of("app", "prometheus"), 0, 1));
        for (int n = 0; n < namespaces; n++) {
            String namespace = "app-" + n;
            builder.namespace(new ClusterNamespace(namespace, Map.of("team", TEAMS.get(n % TEAMS.size()),
                    "env", n % 3 == 0 ? "staging" : "prod")));
            for (int p = 0; p < podsPerNamespace; p++) {
                String tier = TIERS.get(p % TIERS.size());
                builder.pod(pod(namespace, tier + "-" + p, Map.of("app", "shop-" + n, "tier", tier), n + 1, p + 1));
            }
            for (int k = 0; k < policiesPerNamespace; k++) {
                builder.policy(policy(namespace, k));
            }
        }
        return builder.build();
    }

    private static ClusterPod pod(String namespace, String name, Map<String, String> labels, int n, int p) {
        String ip = "10." + (64 + n / 250) + "." + (n % 250) + "." + p;
        return new ClusterPod(namespace, name, labels, ip, List.of(
                new PodPort("http", 8080 + (p % 2), Protocol.TCP),
                new PodPort("metrics", 9090, Protocol.TCP),
                new PodPort("dns", 53, Protocol.UDP)));
    }

    private NetworkPolicy policy(String namespace, int k) {
        var builder = new NetworkPolicyBuilder().withNewMetadata().withNamespace(namespace).withName("policy-" + k).endMetadata();
        return switch (k == 0 ? 0 : 1 + random.nextInt(4)) {
            case 0 -> builder.withNewSpec().withPodSelector(new LabelSelector()).withPolicyTypes("Ingress").endSpec().build();
            case 1 -> builder.withNewSpec().withPodSelector(tier("backend"))
                    .withIngress(new NetworkPolicyIngressRule(List.of(peer(tier("frontend"), null)), List.of(port(8080 + random.nextInt(2)))),
                            new NetworkPolicyIngressRule(List.of(peer(new LabelSelector(), monitoring())), List.of(named("metrics"))))
                    .endSpec().build();
            case 2 -> builder.withNewSpec().withPodSelector(tier("database"))
                    .withIngress(new NetworkPolicyIngressRule(List.of(peer(tier("backend"), null)), List.of(range(5432, 5440))))
                    .withEgress(new NetworkPolicyEgressRule(List.of(dns()), List.of()))
                    .withPolicyTypes("Ingress", "Egress").endSpec().build();
            case 3 -> builder.withNewSpec().withPodSelector(inTiers("frontend", "backend"))
                    .withEgress(new NetworkPolicyEgressRule(List.of(named("http")), List.of(peer(tier("backend"), null), peer(tier("database"), null))),
                            new NetworkPolicyEgressRule(List.of(port(443)), List.of(cidr())),
                            new NetworkPolicyEgressRule(List.of(dns()), List.of()))
                    .withPolicyTypes("Egress").endSpec().build();
            default -> builder.withNewSpec().withPodSelector(tier("frontend"))
                    .withIngress(new NetworkPolicyIngressRule(List.of(cidr(), peer(new LabelSelector(), team(TEAMS.get(random.nextInt(TEAMS.size()))))),
                            List.of(port(8080), port(8081))))
                    .endSpec().build();
        };
    }

    private NetworkPolicyPeer cidr() {
        int b = 16 + random.nextInt(16);
        return new NetworkPolicyPeer(new IPBlock("172." + b + ".0.0/16", List.of("172." + b + "." + random.nextInt(256) + ".0/24")), null, null);
    }

    private static NetworkPolicyPeer peer(LabelSelector pods, LabelSelector namespaces) {
        return new NetworkPolicyPeer(null, namespaces, pods);
    }

    private static LabelSelector tier(String tier) {
        return new LabelSelector(List.of(), Map.of("tier", tier));
    }

    private static LabelSelector inTiers(String... tiers) {
        return new LabelSelector(List.of(new LabelSelectorRequirement("tier", "In", List.of(tiers))), Map.of());
    }

    private static LabelSelector monitoring() {
        return new LabelSelector(List.of(), Map.of("purpose", "monitoring"));
    }

    private static LabelSelector team(String team) {
        return new LabelSelector(List.of(), Map.of("team", team));
    }

    private static NetworkPolicyPort port(int number) {
        return new NetworkPolicyPort(null, new IntOrString(number), "TCP");
    }

    private static NetworkPolicyPort range(int first, int last) {
        return new NetworkPolicyPort(last, new IntOrString(first), "TCP");
    }

    private static NetworkPolicyPort named(String name) {
        return new NetworkPolicyPort(null, new IntOrString(name), "TCP");
    }

    private static NetworkPolicyPort dns() {
        return new NetworkPolicyPort(null, new IntOrString(53), "UDP");
    }
}
