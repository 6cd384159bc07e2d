package dev.weir.compiler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a -f folder holds is read or warned about, never ignored in silence. */
class ClusterLoaderInputTest {

    @TempDir
    Path dir;

    @Test
    void readsJsonFilesAndListsInJson() throws IOException {
        write("a.json", """
                {
                \t"apiVersion": "v1", "kind": "List",
                \t"items": [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "from-json", "namespace": "x", "labels": {"on": "yes"}},
                \t           "spec": {"containers": [{"name": "c", "ports": [{"containerPort": 80}]}]}}]
                }
                """);
        write("b.yaml", "{apiVersion: v1, kind: Pod, metadata: {name: from-yaml, namespace: x}}");

        ClusterLoader.Loaded loaded = ClusterLoader.load(dir);

        assertThat(loaded.refused()).isEmpty();
        assertThat(loaded.cluster().pods()).extracting(ClusterPod::name).containsExactly("from-json", "from-yaml");
        assertThat(loaded.cluster().pod(PodRef.parse("x/from-json")).orElseThrow().labels()).containsEntry("on", "yes");
    }

    @Test
    void warnsAboutSubfoldersAndOtherFiles() throws IOException {
        Files.createDirectory(dir.resolve("more"));
        write("more/pod.yaml", "{apiVersion: v1, kind: Pod, metadata: {name: nested, namespace: x}}");
        write("README.md", "# notes");
        write("pod.yaml", "{apiVersion: v1, kind: Pod, metadata: {name: top, namespace: x}}");

        ClusterLoader.Loaded loaded = ClusterLoader.load(dir);

        assertThat(loaded.cluster().pods()).extracting(ClusterPod::name).containsExactly("top");
        assertThat(loaded.warnings()).startsWith(
                "skipping " + dir.resolve("README.md") + ": not a .yaml, .yml or .json file",
                "skipping folder " + dir.resolve("more") + ": -f reads one folder, not its subfolders");
    }

    @Test
    void warnsAboutFilesWithoutObjects() throws IOException {
        Path empty = write("empty.yaml", "");
        Path comments = write("comments.yml", "# nothing yet\n---\n---\n");
        Path emptyList = write("list.yaml", "{apiVersion: v1, kind: List, items: []}");

        ClusterLoader.Loaded loaded = ClusterLoader.load(dir);

        assertThat(loaded.warnings()).containsExactly(
                comments + ": holds no objects", empty + ": holds no objects", emptyList + ": holds no objects");
    }

    @Test
    void aDocumentThatIsNoObjectIsRefusedAndTheRestLoads() throws IOException {
        Path file = write("mixed.yaml", "just some text\n---\n{apiVersion: v1, kind: Pod, metadata: {name: a, namespace: x}}");

        ClusterLoader.Loaded loaded = ClusterLoader.load(file);

        assertThat(loaded.refused()).containsExactly(
                file + " (document 1): expected a Kubernetes object (a map), found a string (\"just some text\"); it is skipped");
        assertThat(loaded.cluster().pods()).hasSize(1);
    }

    @Test
    void badJsonNamesFileAndDocument() throws IOException {
        Path file = write("broken.json", "{\"kind\": \"Pod\"}\n{\"kind\": ");

        assertThatThrownBy(() -> ClusterLoader.load(file))
                .isInstanceOf(ClusterLoadException.class)
                .hasMessageStartingWith(file + " (document 2): invalid JSON: ");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
