package dev.weir.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YAML is read as kubectl reads it: anchors, aliases and merge keys resolved, scalars typed as YAML 1.1. */
class ClusterLoaderYamlTest {

    @TempDir
    Path dir;

    @Test
    void aliasesStandForWhatTheirAnchorsName() throws IOException {
        Path file = write("pods.yaml", """
                apiVersion: v1
                kind: PodList
                items:
                - {apiVersion: v1, kind: Pod, metadata: {name: a, namespace: x, labels: {app: &be backend}}}
                - {apiVersion: v1, kind: Pod, metadata: {name: b, namespace: x, labels: {app: *be}}}
                """);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).isEmpty();
        assertThat(pod(loaded, "x/a").labels()).isEqualTo(Map.of("app", "backend"));
        assertThat(pod(loaded, "x/b").labels()).isEqualTo(Map.of("app", "backend"));
    }

    @Test
    void anchorsBelongToTheirDocument() throws IOException {
        Path file = write("pods.yaml", """
                {apiVersion: v1, kind: Pod, metadata: {name: a, namespace: x, labels: {app: &be backend}}}
                ---
                {apiVersion: v1, kind: Pod, metadata: {name: b, namespace: x, labels: {app: *be}}}
                """);

        assertThatThrownBy(() -> ClusterLoader.load(file))
                .isInstanceOf(ClusterLoadException.class)
                .hasMessage(file + " (document 2): invalid YAML: found undefined alias be (line 3, column 77)");
    }

    @Test
    void aliasesReachAcrossAListAndIntoSpecs() throws IOException {
        Path file = write("list.yaml", """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: a, namespace: x}
                  spec: &spec
                    containers:
                    - {name: web, ports: [{name: http, containerPort: 8080}]}
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: b, namespace: x}
                  spec: *spec
                """);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).isEmpty();
        assertThat(pod(loaded, "x/b").ports()).containsExactly(new PodPort("http", 8080, Protocol.TCP));
    }

    @Test
    void mergeKeysMergeWithExplicitKeysAndEarlierMapsFirst() throws IOException {
        Path file = write("merge.yaml", """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Pod
                  metadata:
                    name: a
                    namespace: x
                    labels: &common {app: shop, tier: web}
                - apiVersion: v1
                  kind: Pod
                  metadata:
                    name: b
                    namespace: x
                    labels:
                      <<: [*common, {tier: ignored, zone: z1}]
                      tier: api
                """);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).isEmpty();
        assertThat(pod(loaded, "x/b").labels()).isEqualTo(Map.of("app", "shop", "tier", "api", "zone", "z1"));
    }

    @Test
    void quotedScalarsStayStringsAndOtherTypesAreRefused() throws IOException {
        Path file = write("scalars.yaml", """
                {apiVersion: v1, kind: Pod, metadata: {name: quoted, namespace: x, labels: {debug: "true", on: "yes", day: 2024-01-01, time: 1:20}}}
                ---
                {apiVersion: v1, kind: Pod, metadata: {name: bare, namespace: x, labels: {debug: yes}}}
                """);

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(pod(loaded, "x/quoted").labels())
                .isEqualTo(Map.of("debug", "true", "true", "yes", "day", "2024-01-01", "time", "1:20"));
        assertThat(loaded.refused()).containsExactly(file + " (document 2): Pod x/bare: metadata.labels.debug:"
                + " expected a string, found true; the pod is left out (it gets no identity)");
    }

    @Test
    void aliasBombsAreRefused() throws IOException {
        var yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int level = 1; level <= 9; level++) {
            String previous = "*a" + (level - 1);
            yaml.append("a").append(level).append(": &a").append(level).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, previous))).append("]\n");
        }
        Path file = write("bomb.yaml", yaml.toString());

        assertThatThrownBy(() -> ClusterLoader.load(file))
                .isInstanceOf(ClusterLoadException.class)
                .hasMessageStartingWith(file + " (document 1): refused: the document's aliases expand to too much");
    }

    @Test
    void aDocumentLargerThanSnakeYamlsDefaultLimitLoads() throws IOException {
        int pods = 15_000;
        var yaml = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
        for (int i = 0; i < pods; i++) {
            yaml.append("- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: pod-").append(i)
                    .append("\n    namespace: big\n    labels: {app: app-").append(i % 50).append(", team: team-").append(i % 7)
                    .append("}\n  spec:\n    containers:\n    - name: main\n      ports:\n      - {name: http, containerPort: 8080}\n")
                    .append("  status: {phase: Running, podIP: 10.").append(i / 65536 + 1).append('.')
                    .append(i / 256 % 256).append('.').append(i % 256).append("}\n");
        }
        assertThat(yaml.length()).isGreaterThan(3 * 1024 * 1024);
        Path file = write("big.yaml", yaml.toString());

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).isEmpty();
        assertThat(loaded.cluster().pods()).hasSize(pods);
    }

    private static ClusterPod pod(ClusterLoader.Loaded loaded, String ref) {
        return loaded.cluster().pod(PodRef.parse(ref)).orElseThrow();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
