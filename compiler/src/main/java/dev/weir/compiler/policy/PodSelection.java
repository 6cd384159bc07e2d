package dev.weir.compiler.policy;

import java.util.Map;
import java.util.Objects;

/**
 * A set of pods described by labels: those in one namespace ({@code namespace} set), or in the namespaces a
 * namespace selector picks ({@code namespaces} set), whose labels {@code pods} matches. A policy's own
 * podSelector and every podSelector/namespaceSelector peer become one of these.
 */
public record PodSelection(String namespace, LabelSelection namespaces, LabelSelection pods) {

    public PodSelection {
        if ((namespace == null) == (namespaces == null)) {
            throw new IllegalArgumentException("exactly one of namespace and namespaces");
        }
        Objects.requireNonNull(pods, "pods");
    }

    public static PodSelection inNamespace(String namespace, LabelSelection pods) {
        return new PodSelection(namespace, null, pods);
    }

    public static PodSelection acrossNamespaces(LabelSelection namespaces, LabelSelection pods) {
        return new PodSelection(null, namespaces, pods);
    }

    public boolean matchesNamespace(String name, Map<String, String> namespaceLabels) {
        return namespace != null ? namespace.equals(name) : namespaces.matches(namespaceLabels);
    }

    public boolean matches(String namespaceName, Map<String, String> namespaceLabels, Map<String, String> podLabels) {
        return matchesNamespace(namespaceName, namespaceLabels) && pods.matches(podLabels);
    }

    @Override
    public String toString() {
        return (namespace != null ? "namespace " + namespace : "namespaces " + namespaces) + ", pods " + pods;
    }
}
