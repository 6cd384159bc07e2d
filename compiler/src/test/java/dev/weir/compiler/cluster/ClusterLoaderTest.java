package dev.weir.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.compiler.policy.PolicyValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterLoaderTest {

    @TempDir
    Path dir;

    private static final String NAMESPACE_X = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: x
              labels: {ns: x}
            """;

    private static final String POD_XA = """
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x, labels: {pod: a}}
            spec:
              containers:
              - name: cont-80-tcp
                ports:
                - {name: serve-80-tcp, containerPort: 80}
                - {name: serve-80-udp, containerPort: 80, protocol: UDP}
            status: {podIP: 10.0.1.1}
            """;

    private static final String POLICY_DENY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-ingress, namespace: x}
            spec:
              podSelector: {}
              ingress:
              - from:
                - podSelector: {matchLabels: {pod: b}}
                ports:
                - {port: 80, endPort: 81}
                - {port: serve-80-tcp}
            """;

    @Test
    void readsMultiDocumentFiles() throws IOException {
        Path file = write("cluster.yaml", NAMESPACE_X + "---\n" + POD_XA + "---\n" + POLICY_DENY + "---\n");

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        ClusterState cluster = loaded.cluster();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(cluster.namespace("x").orElseThrow().labels())
                .containsEntry("ns", "x").containsEntry(ClusterNamespace.NAME_LABEL, "x");
        ClusterPod pod = cluster.pod(PodRef.parse("x/a")).orElseThrow();
        assertThat(pod.ip()).isEqualTo("10.0.1.1");
        assertThat(pod.labels()).isEqualTo(Map.of("pod", "a"));
        assertThat(pod.ports()).containsExactly(
                new PodPort("serve-80-tcp", 80, Protocol.TCP), new PodPort("serve-80-udp", 80, Protocol.UDP));
        assertThat(cluster.policies()).singleElement().satisfies(policy -> {
            assertThat(policy.getSpec().getIngress().getFirst().getPorts().getFirst().getEndPort()).isEqualTo(81);
            assertThat(policy.getSpec().getIngress().getFirst().getPorts().get(1).getPort().getStrVal()).isEqualTo("serve-80-tcp");
            assertThat(PolicyValidator.validate(policy)).isEmpty();
        });
    }

    @Test
    void readsKubectlLists() throws IOException {
        Path file = write("pods.yaml", """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: b, namespace: y}
                - apiVersion: v1
                  kind: PodList
                  items:
                  - {apiVersion: v1, kind: Pod, metadata: {name: a, namespace: y}}
                """);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.cluster().pods()).extracting(ClusterPod::ref)
                .containsExactly(PodRef.parse("y/b"), PodRef.parse("y/a"));
        assertThat(loaded.warnings()).singleElement().asString().contains("namespace y is not in the input");
    }

    @Test
    void readsYamlFilesOfAFolderInNameOrder() throws IOException {
        write("b.yaml", "{apiVersion: v1, kind: Pod, metadata: {name: from-b, namespace: x}}");
        write("a.yml", NAMESPACE_X + "---\n{apiVersion: v1, kind: Pod, metadata: {name: from-a, namespace: x}}");
        write("notes.txt", "not: [yaml");

        ClusterState cluster = ClusterLoader.load(dir).cluster();

        assertThat(cluster.pods()).extracting(ClusterPod::name).containsExactly("from-a", "from-b");
    }

    @Test
    void skipsPodsThatNetworkPolicyDoesNotGovern() throws IOException {
        Path file = write("pods.yaml", """
                {apiVersion: v1, kind: Pod, metadata: {name: agent, namespace: x}, spec: {hostNetwork: true, containers: []}, status: {podIP: 192.168.1.10}}
                ---
                {apiVersion: v1, kind: Pod, metadata: {name: job, namespace: x}, status: {phase: Succeeded, podIP: 10.0.1.7}}
                ---
                {apiVersion: v1, kind: Pod, metadata: {name: web, namespace: x}, status: {phase: Running, podIP: 10.0.1.8}}
                """);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.cluster().pods()).extracting(ClusterPod::name).containsExactly("web");
        assertThat(loaded.warnings()).contains(
                file + " (document 1): skipping Pod agent: it uses the host network, which NetworkPolicy does not govern (its traffic is the node's)",
                file + " (document 2): skipping Pod job: it has terminated (phase Succeeded), and its address may already be another pod's");
    }

    @Test
    void warnsAboutSkippedKindsAndVersions() throws IOException {
        Path file = write("mixed.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: web, namespace: x}
                ---
                apiVersion: extensions/v1beta1
                kind: NetworkPolicy
                metadata: {name: old, namespace: x}
                """ + "---\n" + NAMESPACE_X);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.cluster().policies()).isEmpty();
        assertThat(loaded.warnings()).containsExactly(
                file + " (document 1): skipping ConfigMap web (v1): not a Namespace, Pod, NetworkPolicy, Service or EndpointSlice",
                file + " (document 2): skipping NetworkPolicy old: apiVersion 'extensions/v1beta1' is not networking.k8s.io/v1");
    }

    @Test
    void badYamlNamesFileAndDocument() throws IOException {
        Path file = write("broken.yaml", NAMESPACE_X + "---\nkind: Pod\nmetadata: {name: [unclosed\n");

        assertThatThrownBy(() -> ClusterLoader.load(file))
                .isInstanceOf(ClusterLoadException.class)
                .hasMessageStartingWith(file + " (document 2): invalid YAML: ")
                .hasMessageContaining("expected ',' or ']'").hasMessageContaining("(line 9, column 1)");
    }

    @Test
    void wrongFieldTypesNameTheObjectAndFailClosed() throws IOException {
        Path file = write("typed.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: x}
                spec: {ingress: "everything"}
                """);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).containsExactly(file + " (document 1): NetworkPolicy x/p: spec.ingress: expected a list,"
                + " found a string (\"everything\"); its ingress rules are refused (they allow nothing)");
        assertThat(loaded.cluster().policies()).singleElement().satisfies(policy -> {
            assertThat(policy.getSpec().getIngress()).isEmpty();
            assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        });
    }

    @Test
    void keepsUnknownPolicyFieldsForTheValidatorToRefuse() throws IOException {
        Path file = write("status.yaml", POLICY_DENY + "status: {conditions: []}\n");

        ClusterState cluster = ClusterLoader.load(file).cluster();

        assertThat(PolicyValidator.validate(cluster.policies().getFirst()))
                .extracting(problem -> problem.field()).containsExactly("status");
    }

    @Test
    void missingPathIsAClearError() {
        assertThatThrownBy(() -> ClusterLoader.load(dir.resolve("nope.yaml")))
                .isInstanceOf(ClusterLoadException.class).hasMessageContaining("nope.yaml: no such file or folder");
    }

    @Test
    void warningsGoToTheConsumerInOrder() throws IOException {
        Path file = write("one.yaml", "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}");
        var warnings = new java.util.ArrayList<String>();

        ClusterLoader.load(file, warnings::add);

        assertThat(warnings).hasSize(1).allMatch(w -> w.contains("skipping ConfigMap c"));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

}
