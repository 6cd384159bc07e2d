package dev.weir.compiler.reference;

import static dev.weir.compiler.netpol.Policies.egressRules;
import static dev.weir.compiler.netpol.Policies.everything;
import static dev.weir.compiler.netpol.Policies.from;
import static dev.weir.compiler.netpol.Policies.ingressRules;
import static dev.weir.compiler.netpol.Policies.ipBlock;
import static dev.weir.compiler.netpol.Policies.matchExpression;
import static dev.weir.compiler.netpol.Policies.matchLabels;
import static dev.weir.compiler.netpol.Policies.namedPort;
import static dev.weir.compiler.netpol.Policies.policy;
import static dev.weir.compiler.netpol.Policies.to;
import static dev.weir.compiler.netpol.Policies.egressOn;
import static dev.weir.compiler.netpol.Policies.podPeer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodPort;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.netpol.UpstreamModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the truth tables cannot show: loopback, external addresses, per-pod named ports, selector operators. */
class ReferenceEvaluatorTest {

    private final ReferenceEvaluator evaluator = new ReferenceEvaluator();

    @Test
    void aPodMayAlwaysTalkToItself() {
        ClusterState cluster = UpstreamModel.cluster().withPolicies(List.of(
                policy("x", "deny-all", everything(), ingressRules(), egressRules())));
        var verdicts = evaluator.load(cluster);
        assertThat(verdicts.allows(Endpoint.pod("x/a"), Endpoint.pod("x/a"), 80, Protocol.TCP)).isTrue();
        assertThat(verdicts.allows(Endpoint.pod("x/a"), Endpoint.pod("x/b"), 80, Protocol.TCP)).isFalse();
    }

    @Test
    void externalSourcesOnlyMatchIpBlocks() {
        ClusterState cluster = UpstreamModel.cluster().withPolicies(List.of(
                policy("x", "from-net", matchLabels("pod", "a"), ingressRules(from(ipBlock("192.0.2.0/24", "192.0.2.128/25")))),
                policy("x", "from-everyone-in-x", matchLabels("pod", "b"), ingressRules(from(podPeer(everything()))))));
        var verdicts = evaluator.load(cluster);
        assertThat(verdicts.allows(Endpoint.external("192.0.2.1"), Endpoint.pod("x/a"), 80, Protocol.TCP)).isTrue();
        assertThat(verdicts.allows(Endpoint.external("192.0.2.200"), Endpoint.pod("x/a"), 80, Protocol.TCP)).isFalse();
        assertThat(verdicts.allows(Endpoint.external("2001:db8::1"), Endpoint.pod("x/a"), 80, Protocol.TCP)).isFalse();
        assertThat(verdicts.allows(Endpoint.external("192.0.2.1"), Endpoint.pod("x/b"), 80, Protocol.TCP)).isFalse();
        assertThat(verdicts.allows(Endpoint.pod("x/c"), Endpoint.pod("x/b"), 80, Protocol.TCP)).isTrue();
    }

    @Test
    void egressToExternalAddressesFollowsIpBlocks() {
        ClusterState cluster = UpstreamModel.cluster().withPolicies(List.of(
                policy("x", "to-net", matchLabels("pod", "a"), egressRules(to(ipBlock("2001:db8::/32"))))));
        var verdicts = evaluator.load(cluster);
        assertThat(verdicts.allows(Endpoint.pod("x/a"), Endpoint.external("2001:db8::5"), 443, Protocol.TCP)).isTrue();
        assertThat(verdicts.allows(Endpoint.pod("x/a"), Endpoint.external("198.51.100.1"), 443, Protocol.TCP)).isFalse();
        assertThat(verdicts.allows(Endpoint.pod("x/b"), Endpoint.external("198.51.100.1"), 443, Protocol.TCP)).isTrue();
    }

    @Test
    void namedEgressPortsResolvePerDestinationPod() {
        var builder = ClusterState.builder();
        builder.pod(new ClusterPod("n", "client", Map.of("role", "client"), "10.1.0.1", List.of()));
        builder.pod(new ClusterPod("n", "web-1", Map.of("app", "web"), "10.1.0.2", List.of(new PodPort("http", 8080, Protocol.TCP))));
        builder.pod(new ClusterPod("n", "web-2", Map.of("app", "web"), "10.1.0.3", List.of(new PodPort("http", 9090, Protocol.TCP))));
        builder.policy(policy("n", "client-to-http", matchLabels("role", "client"), egressRules(egressOn(namedPort("http")))));
        var verdicts = evaluator.load(builder.build());
        assertThat(verdicts.allows(Endpoint.pod("n/client"), Endpoint.pod("n/web-1"), 8080, Protocol.TCP)).isTrue();
        assertThat(verdicts.allows(Endpoint.pod("n/client"), Endpoint.pod("n/web-1"), 9090, Protocol.TCP)).isFalse();
        assertThat(verdicts.allows(Endpoint.pod("n/client"), Endpoint.pod("n/web-2"), 9090, Protocol.TCP)).isTrue();
        assertThat(verdicts.allows(Endpoint.pod("n/client"), Endpoint.pod("n/web-2"), 8080, Protocol.TCP)).isFalse();
        assertThat(verdicts.allows(Endpoint.pod("n/client"), Endpoint.external("10.9.9.9"), 8080, Protocol.TCP)).isFalse();
    }

    @Test
    void namedPortsNeedTheRulesProtocol() {
        var builder = ClusterState.builder();
        builder.pod(new ClusterPod("n", "dns", Map.of("app", "dns"), "10.1.0.2", List.of(new PodPort("dns", 53, Protocol.UDP))));
        builder.pod(new ClusterPod("n", "client", Map.of(), "10.1.0.3", List.of()));
        builder.policy(policy("n", "dns-by-name", matchLabels("app", "dns"), ingressRules(
                dev.weir.compiler.netpol.Policies.ingressOn(namedPort("dns")))));
        var verdicts = evaluator.load(builder.build());
        // The rule's protocol defaults to TCP, and the pod's "dns" port is UDP: nothing matches.
        assertThat(verdicts.allows(Endpoint.pod("n/client"), Endpoint.pod("n/dns"), 53, Protocol.UDP)).isFalse();
        assertThat(verdicts.allows(Endpoint.pod("n/client"), Endpoint.pod("n/dns"), 53, Protocol.TCP)).isFalse();
    }

    @Test
    void selectorOperators() {
        Map<String, String> labels = Map.of("tier", "web", "env", "prod");
        assertThat(ReferenceEvaluator.matches(everything(), labels)).isTrue();
        assertThat(ReferenceEvaluator.matches(matchExpression("tier", "In", "web", "db"), labels)).isTrue();
        assertThat(ReferenceEvaluator.matches(matchExpression("tier", "NotIn", "web"), labels)).isFalse();
        assertThat(ReferenceEvaluator.matches(matchExpression("missing", "NotIn", "web"), labels)).isTrue();
        assertThat(ReferenceEvaluator.matches(matchExpression("env", "Exists"), labels)).isTrue();
        assertThat(ReferenceEvaluator.matches(matchExpression("env", "DoesNotExist"), labels)).isFalse();
        assertThat(ReferenceEvaluator.matches(matchLabels("tier", "web", "env", "dev"), labels)).isFalse();
    }

    @Test
    void refusesTwoExternalEnds() {
        var verdicts = evaluator.load(UpstreamModel.cluster());
        assertThatThrownBy(() -> verdicts.allows(Endpoint.external("10.0.0.1"), Endpoint.external("10.0.0.2"), 80, Protocol.TCP))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
