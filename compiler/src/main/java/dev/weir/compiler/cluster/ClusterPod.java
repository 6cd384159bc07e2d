package dev.weir.compiler.cluster;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What policies need to know of a pod.
 *
 * @param ip the pod's primary IP ({@code status.podIP}), or null when it has none yet
 * @param ports the ports its containers (and restartable init containers) declare, in declaration order
 */
public record ClusterPod(String namespace, String name, Map<String, String> labels, String ip, List<PodPort> ports) {

    public ClusterPod {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    public PodRef ref() {
        return new PodRef(namespace, name);
    }

    public ClusterPod withLabels(Map<String, String> newLabels) {
        return new ClusterPod(namespace, name, newLabels, ip, ports);
    }
}
