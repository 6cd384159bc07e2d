package dev.weir.compiler.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A namespace and its labels.
 *
 * <p>The API server sets the immutable label {@value #NAME_LABEL} on every namespace (since 1.21), and
 * policies select namespaces by it, so it is always present here too, whatever the input said.
 */
public record ClusterNamespace(String name, Map<String, String> labels) {

    public static final String NAME_LABEL = "kubernetes.io/metadata.name";

    public ClusterNamespace {
        Objects.requireNonNull(name, "name");
        var withNameLabel = new LinkedHashMap<String, String>(labels == null ? Map.of() : labels);
        withNameLabel.put(NAME_LABEL, name);
        labels = Map.copyOf(withNameLabel);
    }

    public ClusterNamespace withLabels(Map<String, String> newLabels) {
        return new ClusterNamespace(name, newLabels);
    }
}
