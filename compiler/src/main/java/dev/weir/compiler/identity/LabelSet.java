package dev.weir.compiler.identity;

import dev.weir.compiler.cluster.ClusterNamespace;
import dev.weir.compiler.cluster.ClusterPod;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a NetworkPolicy selector can see of a pod: its namespace (name and labels) and its own labels.
 * Pods with equal label sets are indistinguishable to selectors, so they share one identity.
 */
public record LabelSet(String namespace, Map<String, String> namespaceLabels, Map<String, String> podLabels)
        implements Comparable<LabelSet> {

    private static final Comparator<LabelSet> ORDER = Comparator.comparing(LabelSet::namespace)
            .thenComparing(l -> l.podLabels().toString())
            .thenComparing(l -> l.namespaceLabels().toString());

    public LabelSet {
        namespaceLabels = java.util.Collections.unmodifiableMap(new TreeMap<>(namespaceLabels));
        podLabels = java.util.Collections.unmodifiableMap(new TreeMap<>(podLabels));
    }

    public static LabelSet of(ClusterPod pod, ClusterNamespace namespace) {
        return new LabelSet(pod.namespace(), namespace.labels(), pod.labels());
    }

    @Override
    public int compareTo(LabelSet other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return namespace + " " + podLabels;
    }
}
