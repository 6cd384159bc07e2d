package dev.weir.compiler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.cluster.ClusterLoader;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.simulate.Datapath;
import dev.weir.compiler.simulate.Simulator;
import dev.weir.compiler.simulate.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Broken policies, from YAML through the loader, the compiler and the simulated datapath: each problem is one
 * line naming policy and field, no exception escapes, the other policies still compile, and what is refused
 * allows nothing. Pods x/a and x/b; the policy under test is x/p (or x/Bad_Name!), next to a valid y/good.
 */
class FailClosedTest {

    private static final String CLUSTER = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: x}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x, labels: {app: a}}
            status: {podIP: 10.0.1.1}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b, namespace: x, labels: {app: b}}
            status: {podIP: 10.0.1.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: c, namespace: y, labels: {app: c}}
            status: {podIP: 10.0.2.1}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: good, namespace: y}
            spec: {podSelector: {}, policyTypes: [Ingress]}
            """;

    @TempDir
    Path dir;

    /**
     * @param verdict what the policy does to x/a, the pod it selects: {@code isolated} (ingress from x/b
     *                blocked, egress to x/b allowed), {@code both} (both blocked) or {@code left-out} (both allowed)
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {name: p}| {podSelector: {matchLabels: {app: null}}}| spec.podSelector.matchLabels.app: Invalid value: null: must be a label value, not null| left-out
            {name: p}| {podSelector: {matchExpressions: [{key: app, operator: In, values: [null]}]}}| spec.podSelector.matchExpressions[0].values[0]: Invalid value: null: must be a label value, not null| left-out
            {name: p}| {podSelector: {matchExpressions: [null]}}| spec.podSelector.matchExpressions[0]: Invalid value: null: must be a requirement, not null| left-out
            {name: p}| {podSelector: {matchLabels: {app: a}}, ingress: [{from: [{namespaceSelector: {matchLabels: {app: null}}}]}]}| spec.ingress[0].from[0].namespaceSelector.matchLabels.app: Invalid value: null: must be a label value, not null| isolated
            {name: p}| {podSelector: {matchLabels: {app: a}}, ingress: [{from: [{podSelector: {matchLabels: {app: null}}}]}]}| spec.ingress[0].from[0].podSelector.matchLabels.app: Invalid value: null: must be a label value, not null| isolated
            {name: p}| {podSelector: {matchLabels: {app: a}}, ingress: [{from: [{podSelector: {matchExpressions: [{key: null, operator: Exists}]}}]}]}| spec.ingress[0].from[0].podSelector.matchExpressions[0].key: Invalid value: "": name part must be non-empty| isolated
            {name: p}| {podSelector: {matchLabels: {app: a}}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [null]}}]}]}| spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: null: must be a CIDR, not null| isolated
            {name: p}| {podSelector: {matchLabels: {app: a}}, ingress: [{from: [{ipBlock: {cidr: null}}]}]}| spec.ingress[0].from[0].ipBlock.cidr: Required value| isolated
            {name: p}| {podSelector: {matchLabels: {app: a}}, ingress: [{ports: [null]}]}| spec.ingress[0].ports[0]: Invalid value: null: must be a port, not null| isolated
            {name: p}| {podSelector: {matchLabels: {app: a}}, ingress: [{from: [null]}]}| spec.ingress[0].from[0]: Invalid value: null: must be a peer, not null| isolated
            {name: p}| {podSelector: {matchLabels: {app: a}}, ingress: [null]}| spec.ingress[0]: Invalid value: null: must be a rule, not null| isolated
            {name: p}| {podSelector: {matchLabels: {app: a}}, policyTypes: [Egress], egress: [null]}| spec.egress[0]: Invalid value: null: must be a rule, not null| egress-isolated
            {name: p}| {podSelector: {matchLabels: {app: a}}, policyTypes: [null], ingress: [{}], egress: [{}]}| spec.policyTypes[0]: Unsupported value: null: supported values: "Ingress", "Egress"| both
            {name: p}| {podSelector: {matchLabels: {app: a}}, policyTypes: [Bogus], ingress: [{}]}| spec.policyTypes[0]: Unsupported value: "Bogus": supported values: "Ingress", "Egress"| both
            {name: Bad_Name!}| {podSelector: {matchLabels: {app: a}}, ingress: [{}]}| metadata.name: Invalid value: "Bad_Name!": a lowercase RFC 1123 subdomain| isolated
            """)
    void aBrokenPolicyIsOneProblemAndFailsClosed(String metadata, String spec, String problem, String verdict) throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, CLUSTER + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: %s
                spec: %s
                """.formatted(metadata.replace("{", "{namespace: x, "), spec));

        CompiledCluster compiled = Compiler.compile(ClusterLoader.load(file).cluster());

        String policy = "x/" + metadata.replaceAll("\\{name: (.*)}", "$1");
        assertThat(compiled.problems()).singleElement().asString().startsWith("NetworkPolicy " + policy + ": " + problem);
        assertThat(compiled.namespace("y").ingressPolicies()).containsExactly("y/good");
        boolean leftOut = verdict.equals("left-out");
        assertThat(compiled.namespace("x").ingressPolicies().isEmpty() && compiled.namespace("x").egressPolicies().isEmpty())
                .as("left out").isEqualTo(leftOut);
        try (var simulator = new Simulator(compiled, Datapath.interpreter(compiled))) {
            Target a = Target.pod(new PodRef("x", "a")), b = Target.pod(new PodRef("x", "b"));
            boolean ingressAllowed = simulator.connect(b, a, 80, Protocol.TCP).allowed();
            boolean egressAllowed = simulator.connect(a, b, 80, Protocol.TCP).allowed();
            assertThat(ingressAllowed).as("x/b -> x/a").isEqualTo(leftOut || verdict.equals("egress-isolated"));
            assertThat(egressAllowed).as("x/a -> x/b").isEqualTo(!verdict.equals("both") && !verdict.equals("egress-isolated"));
        }
    }
}
