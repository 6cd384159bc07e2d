package dev.weir.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.reference.Endpoint;
import dev.weir.compiler.reference.ReachabilityEngine;
import dev.weir.compiler.reference.ReferenceEvaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An object that cannot be used is refused with one line naming file, document, object and field; the rest
 * of the input loads. NetworkPolicies lose only their broken rules and keep isolating.
 */
class ClusterLoaderRefusalTest {

    @TempDir
    Path dir;

    private static final String GOOD_POD = "{apiVersion: v1, kind: Pod, metadata: {name: good, namespace: x}, status: {podIP: 10.0.0.9}}\n";
    private static final String LEFT_OUT = "; the pod is left out (it gets no identity)";

    @Test
    void podsWithBrokenFieldsAreRefusedOneLineEachAndTheRestLoads() throws IOException {
        Path file = write("pods.yaml", String.join("---\n",
                "{apiVersion: v1, kind: Pod, metadata: {name: float, namespace: x}, spec: {containers: [{name: c, ports: [{containerPort: 9000.0}]}]}}\n",
                "{apiVersion: v1, kind: Pod, metadata: {name: bool, namespace: x}, spec: {containers: [{name: c, ports: [{containerPort: true}]}]}}\n",
                "{apiVersion: v1, kind: Pod, metadata: {name: map, namespace: x}, spec: {containers: {name: c}}}\n",
                "{apiVersion: v1, kind: Pod, metadata: {name: nullcontainer, namespace: x}, spec: {containers: [null]}}\n",
                "{apiVersion: v1, kind: Pod, metadata: {name: nullport, namespace: x}, spec: {containers: [{name: c, ports: [null]}]}}\n",
                "{apiVersion: v1, kind: Pod, metadata: {name: nulllabel, namespace: x, labels: {app: null}}}\n",
                "{apiVersion: v1, kind: Pod, metadata: {name: banana, namespace: x}, status: {podIP: banana}}\n",
                GOOD_POD));

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).containsExactly(
                file + " (document 1): Pod x/float: spec.containers[0].ports[0].containerPort: expected an integer, found a number (9000.0)" + LEFT_OUT,
                file + " (document 2): Pod x/bool: spec.containers[0].ports[0].containerPort: expected an integer, found true" + LEFT_OUT,
                file + " (document 3): Pod x/map: spec.containers: expected a list, found a map" + LEFT_OUT,
                file + " (document 4): Pod x/nullcontainer: spec.containers[0]: must not be null" + LEFT_OUT,
                file + " (document 5): Pod x/nullport: spec.containers[0].ports[0]: must not be null" + LEFT_OUT,
                file + " (document 6): Pod x/nulllabel: metadata.labels.app: must not be null" + LEFT_OUT,
                file + " (document 7): Pod x/banana: status.podIP: 'banana' must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)" + LEFT_OUT);
        assertThat(loaded.cluster().pods()).extracting(ClusterPod::name).containsExactly("good");
        assertThat(Compiler.compile(loaded.cluster()).problems()).isEmpty();
    }

    @Test
    void namespacesWithNullLabelsAreRefused() throws IOException {
        Path file = write("ns.yaml", "{apiVersion: v1, kind: Namespace, metadata: {name: x, labels: {team: }}}\n---\n" + GOOD_POD);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).containsExactly(file + " (document 1): Namespace x: metadata.labels.team: must not be null;"
                + " the namespace is left out (taken to have no labels but its name)");
        assertThat(loaded.cluster().implicitNamespaces()).containsExactly("x");
    }

    @Test
    void duplicateKeysRefuseTheObjectHoldingThem() throws IOException {
        Path file = write("dup.yaml", """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Pod
                  metadata:
                    name: twice
                    namespace: x
                    labels:
                      app: frontend
                      app: backend
                - {apiVersion: v1, kind: Pod, metadata: {name: once, namespace: x}}
                """);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).containsExactly(file + " (document 1) List items[0]: Pod x/twice: metadata.labels.app:"
                + " key \"app\" is given twice in this map (line 11)" + LEFT_OUT);
        assertThat(loaded.cluster().pods()).extracting(ClusterPod::name).containsExactly("once");
    }

    @Test
    void duplicateKeysInJsonAreRefusedToo() throws IOException {
        Path file = write("dup.json", """
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "twice", "namespace": "x",
                  "labels": {"app": "frontend", "app": "backend"}}}
                """);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).containsExactly(file + " (document 1): Pod x/twice: metadata.labels.app:"
                + " key \"app\" is given twice in this map (line 2)" + LEFT_OUT);
        assertThat(loaded.cluster().pods()).isEmpty();
    }

    /** Pods a (the policy's subject), b and c; the policy's only egress rule and first ingress rule are broken. */
    private static final String POLICY_CLUSTER = """
            {apiVersion: v1, kind: Pod, metadata: {name: a, namespace: x, labels: {app: a}}, spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}, status: {podIP: 10.0.0.1}}
            ---
            {apiVersion: v1, kind: Pod, metadata: {name: b, namespace: x, labels: {app: b}}, spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}, status: {podIP: 10.0.0.2}}
            ---
            {apiVersion: v1, kind: Pod, metadata: {name: c, namespace: x, labels: {app: c}}, spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}, status: {podIP: 10.0.0.3}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: p, namespace: x}
            spec:
              podSelector: {matchLabels: {app: a}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: c}}}]
                ports: [{port: true}]
              - from: [{podSelector: {matchLabels: {app: b}}}]
              egress:
              - to: {podSelector: {}}
            """;

    @Test
    void brokenPolicyRulesAreRefusedAndThePolicyKeepsIsolating() throws IOException {
        Path file = write("policy.yaml", POLICY_CLUSTER);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).containsExactly(
                file + " (document 4): NetworkPolicy x/p: spec.ingress[0].ports[0].port: expected an integer or a string,"
                        + " found true; the rule is refused (allows nothing)",
                file + " (document 4): NetworkPolicy x/p: spec.egress[0].to: expected a list, found a map;"
                        + " the rule is refused (allows nothing)");
        assertThat(loaded.cluster().policies()).singleElement().satisfies(policy -> {
            assertThat(policy.getSpec().getIngress()).hasSize(1);
            assertThat(policy.getSpec().getEgress()).isEmpty();
            assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        });
        try (ReachabilityEngine.Verdicts verdicts = new ReferenceEvaluator().load(loaded.cluster())) {
            assertThat(verdicts.allows(Endpoint.pod("x/b"), Endpoint.pod("x/a"), 80, Protocol.TCP)).isTrue();
            assertThat(verdicts.allows(Endpoint.pod("x/c"), Endpoint.pod("x/a"), 80, Protocol.TCP)).isFalse();
            assertThat(verdicts.allows(Endpoint.pod("x/a"), Endpoint.pod("x/b"), 80, Protocol.TCP)).isFalse();
            assertThat(verdicts.allows(Endpoint.pod("x/c"), Endpoint.pod("x/b"), 80, Protocol.TCP)).isTrue();
        }
        assertThat(Compiler.compile(loaded.cluster()).problems()).isEmpty();
    }

    @Test
    void aKeyGivenTwiceInARuleRefusesTheRule() throws IOException {
        Path file = write("policy.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: x}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress]
                  ingress:
                  - from: [{podSelector: {}}]
                    from: [{namespaceSelector: {}}]
                """);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).containsExactly(file + " (document 1): NetworkPolicy x/p: spec.ingress[0].from:"
                + " key \"from\" is given twice in this map (line 9); the rule is refused (allows nothing)");
        assertThat(loaded.cluster().policies()).singleElement().satisfies(policy -> {
            assertThat(policy.getSpec().getIngress()).isEmpty();
            assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        });
    }

    @Test
    void aPolicyWhosePodSelectorDoesNotBindIsRefusedWhole() throws IOException {
        Path file = write("policy.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: x}
                spec:
                  podSelector: {matchLabels: [app]}
                  ingress: [{ports: [{port: true}]}]
                """);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).containsExactly(file + " (document 1): NetworkPolicy x/p: spec.podSelector.matchLabels:"
                + " expected a map, found a list; the policy is refused: what it selects is unknown");
        assertThat(loaded.cluster().policies()).isEmpty();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
