package dev.weir.compiler.property;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.netpol.Engines;
import dev.weir.compiler.policy.PolicyValidator;
import dev.weir.compiler.reference.Endpoint;
import dev.weir.compiler.reference.ReachabilityEngine;
import dev.weir.compiler.reference.ReferenceEvaluator;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Internal-consistency properties on seeded random clusters, for every engine; the last one compares every
 * engine with the reference evaluator, which is how the compiled engines will be checked.
 */
class EvaluatorPropertiesTest {

    private static final int SEEDS = 150;

    static Stream<Arguments> enginesAndSeeds() {
        return Engines.all().stream().flatMap(engine -> LongStream.range(0, SEEDS).mapToObj(seed -> Arguments.of(engine, seed)));
    }

    @ParameterizedTest(name = "seed {1}")
    @MethodSource("enginesAndSeeds")
    void generatedPoliciesAreValid(ReachabilityEngine engine, long seed) {
        ClusterState cluster = new RandomClusters(seed).cluster();
        cluster.policies().forEach(policy -> assertThat(PolicyValidator.validate(policy)).as(policy.toString()).isEmpty());
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("enginesAndSeeds")
    void withoutPoliciesEverythingIsAllowed(ReachabilityEngine engine, long seed) {
        ClusterState cluster = new RandomClusters(seed).cluster().withoutPolicies();
        assertThat(allowedConnections(engine, cluster)).hasSize(connections(cluster).size());
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("enginesAndSeeds")
    void addingAnAllowAllPolicyNeverRemovesAConnection(ReachabilityEngine engine, long seed) {
        ClusterState cluster = new RandomClusters(seed).cluster();
        String namespace = cluster.namespaces().get((int) (seed % cluster.namespaces().size())).name();
        ClusterState widened = cluster.withPolicy(allowAll(namespace));
        assertThat(allowedConnections(engine, widened)).containsAll(allowedConnections(engine, cluster));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("enginesAndSeeds")
    void denyAllIngressAloneInItsNamespaceLeavesAPodOnlyItself(ReachabilityEngine engine, long seed) {
        ClusterState cluster = new RandomClusters(seed).cluster();
        ClusterPod target = cluster.pods().get((int) (seed % cluster.pods().size()));
        // Policies add up, so another policy of the namespace could allow what the deny-all does not: drop them.
        List<NetworkPolicy> elsewhere = cluster.policies().stream()
                .filter(policy -> !ClusterState.namespaceOf(policy).equals(target.namespace())).toList();
        ClusterState denied = cluster.withPolicies(elsewhere).withPolicy(new NetworkPolicyBuilder()
                .withNewMetadata().withNamespace(target.namespace()).withName("deny-target").endMetadata()
                .withNewSpec().withPodSelector(new LabelSelector(List.of(), Map.of("name", target.labels().get("name"))))
                .withPolicyTypes("Ingress").endSpec().build());
        for (Connection connection : allowedConnections(engine, denied)) {
            if (connection.to().equals(target)) {
                assertThat(connection.from()).isEqualTo(target);
            }
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("enginesAndSeeds")
    void policyOrderDoesNotMatter(ReachabilityEngine engine, long seed) {
        ClusterState cluster = new RandomClusters(seed).cluster();
        List<NetworkPolicy> reversed = new ArrayList<>(cluster.policies()).reversed();
        assertThat(allowedConnections(engine, cluster.withPolicies(reversed))).isEqualTo(allowedConnections(engine, cluster));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("enginesAndSeeds")
    void addingAnIngressRuleToAnIngressPolicyNeverRemovesAConnection(ReachabilityEngine engine, long seed) {
        var random = new RandomClusters(seed);
        ClusterState cluster = random.cluster();
        for (NetworkPolicy policy : cluster.policies()) {
            List<String> types = policy.getSpec().getPolicyTypes();
            if (!types.isEmpty() && !types.contains("Ingress")) {
                continue;
            }
            NetworkPolicy extra = random.policy("unused", "unused");
            var rules = new ArrayList<>(policy.getSpec().getIngress());
            rules.add(extra.getSpec().getIngress().isEmpty() ? new NetworkPolicyIngressRule() : extra.getSpec().getIngress().getFirst());
            NetworkPolicy widened = new NetworkPolicyBuilder(policy).editSpec().withIngress(rules).endSpec().build();
            assertThat(allowedConnections(engine, cluster.withPolicy(widened))).containsAll(allowedConnections(engine, cluster));
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("enginesAndSeeds")
    void agreesWithTheReferenceEvaluator(ReachabilityEngine engine, long seed) {
        ClusterState cluster = new RandomClusters(seed).cluster();
        assertThat(allowedConnections(engine, cluster)).isEqualTo(allowedConnections(new ReferenceEvaluator(), cluster));
    }

    /** Guards the properties against a generator whose policies never deny (or never allow) anything. */
    @Test
    void generatedClustersBothAllowAndDeny() {
        long total = 0;
        long allowed = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            ClusterState cluster = new RandomClusters(seed).cluster();
            total += connections(cluster).size();
            allowed += allowedConnections(new ReferenceEvaluator(), cluster).size();
        }
        assertThat((double) allowed / total).isBetween(0.2, 0.9);
    }

    record Connection(ClusterPod from, ClusterPod to, int port, Protocol protocol) {}

    private static NetworkPolicy allowAll(String namespace) {
        return new NetworkPolicyBuilder().withNewMetadata().withNamespace(namespace).withName("allow-all").endMetadata()
                .withNewSpec().withPodSelector(new LabelSelector()).withPolicyTypes("Ingress", "Egress")
                .withIngress(new NetworkPolicyIngressRule()).withEgress(new NetworkPolicyEgressRule()).endSpec().build();
    }

    private static List<Connection> connections(ClusterState cluster) {
        var all = new ArrayList<Connection>();
        for (ClusterPod from : cluster.pods()) {
            for (ClusterPod to : cluster.pods()) {
                for (int port : RandomClusters.PORTS) {
                    for (Protocol protocol : Protocol.values()) {
                        all.add(new Connection(from, to, port, protocol));
                    }
                }
            }
        }
        return all;
    }

    private static Set<Connection> allowedConnections(ReachabilityEngine engine, ClusterState cluster) {
        try (ReachabilityEngine.Verdicts verdicts = engine.load(cluster)) {
            var allowed = new LinkedHashSet<Connection>();
            for (Connection c : connections(cluster)) {
                if (verdicts.allows(Endpoint.pod(c.from().ref()), Endpoint.pod(c.to().ref()), c.port(), c.protocol())) {
                    allowed.add(c);
                }
            }
            return allowed;
        }
    }

}
