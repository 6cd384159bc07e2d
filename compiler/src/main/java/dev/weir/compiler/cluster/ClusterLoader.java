package dev.weir.compiler.cluster;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a cluster snapshot from YAML: one file, or every {@code *.yaml} / {@code *.yml} file of a folder
 * (not its subfolders) in name order. Files may hold several documents, and a document may be a
 * {@code kind: List} (or {@code PodList}, ...) as {@code kubectl get -o yaml} writes. Namespaces, Pods and
 * networking.k8s.io/v1 NetworkPolicies are kept; anything else is skipped with a warning.
 */
public final class ClusterLoader {

    private static final ObjectMapper YAML = new YAMLMapper();

    private ClusterLoader() {}

    /** The snapshot and the warnings about what was skipped, in input order. */
    public record Loaded(ClusterState cluster, List<String> warnings) {
        public Loaded {
            warnings = List.copyOf(warnings);
        }
    }

    public static Loaded load(Path path) {
        var warnings = new ArrayList<String>();
        ClusterState cluster = load(path, warnings::add);
        return new Loaded(cluster, warnings);
    }

    /** Loads, passing each warning to {@code warnings} as it is found. */
    public static ClusterState load(Path path, Consumer<String> warnings) {
        var builder = ClusterState.builder();
        for (Path file : yamlFiles(path)) {
            new FileReader(file, builder, warnings).read();
        }
        ClusterState cluster = builder.build();
        for (String namespace : cluster.implicitNamespaces()) {
            warnings.accept("namespace " + namespace + " is not in the input; assuming it has no labels but "
                    + ClusterNamespace.NAME_LABEL);
        }
        return cluster;
    }

    private static List<Path> yamlFiles(Path path) {
        if (!Files.isDirectory(path)) {
            if (!Files.isRegularFile(path)) {
                throw new ClusterLoadException(path + ": no such file or folder");
            }
            return List.of(path);
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(".yaml")
                            || file.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ClusterLoadException(path + ": cannot list folder: " + e.getMessage(), e);
        }
    }

    /** Reads one file's documents into the builder. */
    private static final class FileReader {
        private final Path file;
        private final ClusterState.Builder builder;
        private final Consumer<String> warnings;
        private int document;

        FileReader(Path file, ClusterState.Builder builder, Consumer<String> warnings) {
            this.file = file;
            this.builder = builder;
            this.warnings = warnings;
        }

        void read() {
            // Through Files, not File, so a path inside a jar (the CLI's bundled example) reads as well.
            try (var in = Files.newInputStream(file);
                 MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(in)) {
                while (nextDocument(documents)) {
                    JsonNode node = documents.nextValue();
                    if (node == null || node.isNull() || node.isMissingNode()) {
                        continue; // an empty document, e.g. a trailing "---"
                    }
                    readObject(node, where());
                }
            } catch (JsonProcessingException e) {
                throw new ClusterLoadException(where() + ": invalid YAML: " + describe(e), e);
            } catch (IOException e) {
                throw new ClusterLoadException(file + ": cannot read: " + e.getMessage(), e);
            }
        }

        private boolean nextDocument(MappingIterator<JsonNode> documents) throws IOException {
            document++;
            return documents.hasNextValue();
        }

        private String where() {
            return file + " (document " + document + ")";
        }

        private void readObject(JsonNode node, String where) {
            if (!node.isObject()) {
                throw new ClusterLoadException(where + ": expected a Kubernetes object, found " + node.getNodeType());
            }
            String kind = node.path("kind").asText("");
            String apiVersion = node.path("apiVersion").asText("");
            String name = node.path("metadata").path("name").asText("<unnamed>");
            String described = kind.isEmpty() ? "object without kind" : kind + " " + name;
            if (kind.endsWith("List") && node.has("items")) {
                readList(node, where + " " + kind);
                return;
            }
            try {
                switch (kind) {
                    case "Namespace" -> {
                        if (hasVersion(apiVersion, "v1", described, where)) {
                            builder.namespace(convert(node, Namespace.class));
                        }
                    }
                    case "Pod" -> {
                        if (hasVersion(apiVersion, "v1", described, where)) {
                            Pod pod = convert(node, Pod.class);
                            String skip = FromFabric8.outsidePolicy(pod);
                            if (skip == null) {
                                builder.pod(pod);
                            } else {
                                warnings.accept(where + ": skipping " + described + ": " + skip);
                            }
                        }
                    }
                    case "NetworkPolicy" -> {
                        if (hasVersion(apiVersion, "networking.k8s.io/v1", described, where)) {
                            builder.policy(convert(node, NetworkPolicy.class));
                        }
                    }
                    default -> warnings.accept(where + ": skipping " + described
                            + (kind.isEmpty() ? "" : " (" + apiVersion + ")") + ": not a Namespace, Pod or NetworkPolicy");
                }
            } catch (IllegalArgumentException e) {
                throw new ClusterLoadException(where + ": " + described + ": " + describe(e), e);
            }
        }

        private void readList(JsonNode list, String where) {
            JsonNode items = list.get("items");
            if (items.isNull()) {
                return;
            }
            if (!items.isArray()) {
                throw new ClusterLoadException(where + ": items is not a list");
            }
            for (int i = 0; i < items.size(); i++) {
                readObject(items.get(i), where + " items[" + i + "]");
            }
        }

        /** Other versions (e.g. extensions/v1beta1 NetworkPolicy) have other semantics: skip them, loudly. */
        private boolean hasVersion(String actual, String expected, String described, String where) {
            if (expected.equals(actual)) {
                return true;
            }
            warnings.accept(where + ": skipping " + described + ": apiVersion '" + actual + "' is not " + expected);
            return false;
        }

        private static <T> T convert(JsonNode node, Class<T> type) {
            try {
                return YAML.treeToValue(node, type);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(describe(e), e);
            }
        }
    }

    /** Jackson's message without its source dump, plus the line and column when it knows them. */
    private static String describe(Throwable e) {
        if (e instanceof JsonProcessingException json) {
            // SnakeYAML's message interleaves source snippets and carets; keep its sentences.
            String message = json.getOriginalMessage().lines()
                    .filter(line -> !line.isBlank() && !line.startsWith(" ") && !line.startsWith("\t"))
                    .collect(Collectors.joining("; "));
            JsonLocation location = json.getLocation();
            if (location != null && location.getLineNr() > 0) {
                message += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
            }
            return message;
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return describe(json);
        }
        return e.getMessage();
    }
}
