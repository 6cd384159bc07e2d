package dev.weir.compiler.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Converts Fabric8's Namespace and Pod to the few fields policies look at. */
public final class FromFabric8 {

    /** Where kubectl puts namespaced objects that name no namespace. */
    public static final String DEFAULT_NAMESPACE = "default";

    private FromFabric8() {}

    public static ClusterNamespace namespace(Namespace namespace) {
        ObjectMeta meta = requireMetadata(namespace.getMetadata(), "Namespace");
        return new ClusterNamespace(meta.getName(), labels(meta));
    }

    public static ClusterPod pod(Pod pod) {
        ObjectMeta meta = requireMetadata(pod.getMetadata(), "Pod");
        String ip = pod.getStatus() == null ? null : blankToNull(pod.getStatus().getPodIP());
        return new ClusterPod(namespaceOf(meta), meta.getName(), labels(meta), ip, ports(pod));
    }

    /**
     * Why NetworkPolicy has nothing to do with the pod (host network, terminated), or null when it does. Such
     * pods are left out of the cluster state, by the loader and the operator alike.
     */
    public static String outsidePolicy(Pod pod) {
        if (pod.getSpec() != null && Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return "it uses the host network, which NetworkPolicy does not govern (its traffic is the node's)";
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return "it has terminated (phase " + phase + "), and its address may already be another pod's";
        }
        return null;
    }

    /** The object's namespace, or {@value #DEFAULT_NAMESPACE} when it names none. */
    public static String namespaceOf(ObjectMeta meta) {
        String namespace = meta == null ? null : blankToNull(meta.getNamespace());
        return namespace == null ? DEFAULT_NAMESPACE : namespace;
    }

    private static List<PodPort> ports(Pod pod) {
        var ports = new ArrayList<PodPort>();
        if (pod.getSpec() == null) {
            return ports;
        }
        // Sidecars (init containers that keep running) serve traffic, so their ports count too.
        for (Container init : nullToEmpty(pod.getSpec().getInitContainers())) {
            if ("Always".equals(init.getRestartPolicy())) {
                addPorts(init, ports);
            }
        }
        for (Container container : nullToEmpty(pod.getSpec().getContainers())) {
            addPorts(container, ports);
        }
        return ports;
    }

    private static void addPorts(Container container, List<PodPort> ports) {
        for (ContainerPort port : nullToEmpty(container.getPorts())) {
            if (port.getContainerPort() == null) {
                throw new IllegalArgumentException("container '" + container.getName() + "' has a port without containerPort");
            }
            Protocol protocol = Protocol.fromApi(port.getProtocol())
                    .orElseThrow(() -> new IllegalArgumentException("container '" + container.getName()
                            + "' has a port with unsupported protocol '" + port.getProtocol() + "'"));
            ports.add(new PodPort(blankToNull(port.getName()), port.getContainerPort(), protocol));
        }
    }

    private static ObjectMeta requireMetadata(ObjectMeta meta, String kind) {
        if (meta == null || blankToNull(meta.getName()) == null) {
            throw new IllegalArgumentException(kind + " without metadata.name");
        }
        return meta;
    }

    private static Map<String, String> labels(ObjectMeta meta) {
        return meta.getLabels() == null ? Map.of() : meta.getLabels();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
