package dev.weir.compiler.cluster;

import dev.weir.compiler.policy.Cidr;
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

    /** Throws {@link InvalidFieldException} naming the namespace and the field Weir cannot read. */
    public static ClusterNamespace namespace(Namespace namespace) {
        ObjectMeta meta = requireMetadata(namespace.getMetadata(), "Namespace");
        return new ClusterNamespace(meta.getName(), labels(meta, "Namespace " + meta.getName()));
    }

    /** Throws {@link InvalidFieldException} naming the pod and the field Weir cannot read. */
    public static ClusterPod pod(Pod pod) {
        ObjectMeta meta = requireMetadata(pod.getMetadata(), "Pod");
        String described = "Pod " + namespaceOf(meta) + "/" + meta.getName();
        String ip = pod.getStatus() == null ? null : blankToNull(pod.getStatus().getPodIP());
        if (ip != null) {
            try {
                Cidr.parseAddress(ip);
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException(described, "status.podIP", "'" + ip + "' " + e.getMessage());
            }
        }
        return new ClusterPod(namespaceOf(meta), meta.getName(), labels(meta, described), ip, ports(pod, described));
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

    private static List<PodPort> ports(Pod pod, String described) {
        var ports = new ArrayList<PodPort>();
        if (pod.getSpec() == null) {
            return ports;
        }
        // Sidecars (init containers that keep running) serve traffic, so their ports count too.
        List<Container> inits = nullToEmpty(pod.getSpec().getInitContainers());
        for (int i = 0; i < inits.size(); i++) {
            Container init = present(inits.get(i), described, "spec.initContainers[" + i + "]");
            if ("Always".equals(init.getRestartPolicy())) {
                addPorts(init, "spec.initContainers[" + i + "]", described, ports);
            }
        }
        List<Container> containers = nullToEmpty(pod.getSpec().getContainers());
        for (int i = 0; i < containers.size(); i++) {
            Container container = present(containers.get(i), described, "spec.containers[" + i + "]");
            addPorts(container, "spec.containers[" + i + "]", described, ports);
        }
        return ports;
    }

    private static void addPorts(Container container, String path, String described, List<PodPort> ports) {
        List<ContainerPort> declared = nullToEmpty(container.getPorts());
        for (int i = 0; i < declared.size(); i++) {
            String field = path + ".ports[" + i + "]";
            ContainerPort port = present(declared.get(i), described, field);
            if (port.getContainerPort() == null) {
                throw new InvalidFieldException(described, field + ".containerPort", "Required value");
            }
            Protocol protocol = Protocol.fromApi(port.getProtocol())
                    .orElseThrow(() -> new InvalidFieldException(described, field + ".protocol",
                            "unsupported protocol '" + port.getProtocol() + "'"));
            ports.add(new PodPort(blankToNull(port.getName()), port.getContainerPort(), protocol));
        }
    }

    private static ObjectMeta requireMetadata(ObjectMeta meta, String kind) {
        if (meta == null || blankToNull(meta.getName()) == null) {
            throw new InvalidFieldException(kind + " <unnamed>", "metadata.name", "Required value");
        }
        return meta;
    }

    /** The labels; a null value (YAML {@code app:} or {@code app: null}) is no label value, so it is refused. */
    private static Map<String, String> labels(ObjectMeta meta, String described) {
        if (meta.getLabels() == null) {
            return Map.of();
        }
        meta.getLabels().forEach((key, value) -> present(value, described, "metadata.labels." + key));
        return meta.getLabels();
    }

    private static <T> T present(T value, String described, String field) {
        if (value == null) {
            throw new InvalidFieldException(described, field, "must not be null");
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
