package dev.weir.compiler.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.compiler.services.ClusterEndpointSlice;
import dev.weir.compiler.services.ClusterService;
import dev.weir.compiler.services.ServiceRef;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of what NetworkPolicy enforcement depends on: namespaces and their labels, pods (labels, IP,
 * container ports) and the NetworkPolicies themselves; and what Service load balancing depends on: Services
 * and EndpointSlices. Pods and policies keep their input order, which is the order the simulator reports in;
 * Services and EndpointSlices keep theirs, which numbers the compiled Service ports.
 *
 * <p>Immutable: the "with" methods return new snapshots. Policies are Fabric8 objects, which are mutable;
 * they are deep-copied on the way in, and callers must treat the ones they get back as read-only.
 *
 * <p>A namespace that pods, policies, Services or EndpointSlices are in but that the input did not declare
 * is added with only its {@value ClusterNamespace#NAME_LABEL} label, as the API server would have created it.
 */
public final class ClusterState {

    private final Map<String, ClusterNamespace> namespaces;
    private final Map<PodRef, ClusterPod> pods;
    private final List<NetworkPolicy> policies;
    private final List<ClusterService> services;
    private final List<ClusterEndpointSlice> endpointSlices;
    private final Set<String> implicitNamespaces;

    private ClusterState(Builder builder) {
        var pods = new LinkedHashMap<PodRef, ClusterPod>();
        for (ClusterPod pod : builder.pods) {
            if (pods.putIfAbsent(pod.ref(), pod) != null) {
                throw new IllegalArgumentException("pod " + pod.ref() + " is given twice");
            }
        }
        var policies = new LinkedHashMap<String, NetworkPolicy>();
        for (NetworkPolicy policy : builder.policies) {
            if (policies.putIfAbsent(policyKey(policy), policy) != null) {
                throw new IllegalArgumentException("NetworkPolicy " + policyKey(policy) + " is given twice");
            }
        }
        var services = new LinkedHashSet<ServiceRef>();
        for (ClusterService service : builder.services) {
            if (!services.add(service.ref())) {
                throw new IllegalArgumentException("Service " + service.ref() + " is given twice");
            }
        }
        var slices = new LinkedHashSet<String>();
        for (ClusterEndpointSlice slice : builder.endpointSlices) {
            if (!slices.add(slice.namespace() + "/" + slice.name())) {
                throw new IllegalArgumentException("EndpointSlice " + slice.namespace() + "/" + slice.name() + " is given twice");
            }
        }
        var namespaces = new LinkedHashMap<>(builder.namespaces);
        var implicit = new LinkedHashSet<String>();
        for (ClusterPod pod : pods.values()) {
            addImplicit(pod.namespace(), namespaces, implicit);
        }
        for (NetworkPolicy policy : policies.values()) {
            addImplicit(namespaceOf(policy), namespaces, implicit);
        }
        builder.services.forEach(service -> addImplicit(service.ref().namespace(), namespaces, implicit));
        builder.endpointSlices.forEach(slice -> addImplicit(slice.namespace(), namespaces, implicit));
        this.namespaces = Collections.unmodifiableMap(namespaces);
        this.pods = Collections.unmodifiableMap(pods);
        this.policies = List.copyOf(policies.values());
        this.services = List.copyOf(builder.services);
        this.endpointSlices = List.copyOf(builder.endpointSlices);
        this.implicitNamespaces = Collections.unmodifiableSet(implicit);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = withoutPodsAndPolicies();
        pods.values().forEach(builder::pod);
        policies.forEach(builder::policy);
        return builder;
    }

    /**
     * A builder holding everything but the pods and the policies, which the "with" methods fill in their own
     * way: whatever is added to the snapshot later is copied here, and so survives every one of them.
     */
    private Builder withoutPodsAndPolicies() {
        var builder = new Builder();
        builder.namespaces.putAll(declaredNamespaces());
        builder.services.addAll(services);
        builder.endpointSlices.addAll(endpointSlices);
        return builder;
    }

    public List<ClusterNamespace> namespaces() {
        return List.copyOf(namespaces.values());
    }

    /** Namespaces added because something referred to them without the input declaring them. */
    public Set<String> implicitNamespaces() {
        return implicitNamespaces;
    }

    public Optional<ClusterNamespace> namespace(String name) {
        return Optional.ofNullable(namespaces.get(name));
    }

    public List<ClusterPod> pods() {
        return List.copyOf(pods.values());
    }

    public Optional<ClusterPod> pod(PodRef ref) {
        return Optional.ofNullable(pods.get(ref));
    }

    public List<NetworkPolicy> policies() {
        return policies;
    }

    public List<NetworkPolicy> policiesIn(String namespace) {
        return policies.stream().filter(policy -> namespaceOf(policy).equals(namespace)).toList();
    }

    /** The Services kube-proxy serves (not headless, not ExternalName), in input order. */
    public List<ClusterService> services() {
        return services;
    }

    public Optional<ClusterService> service(ServiceRef ref) {
        return services.stream().filter(service -> service.ref().equals(ref)).findFirst();
    }

    /** The IPv4 EndpointSlices, in input order (derived ones after those of the input). */
    public List<ClusterEndpointSlice> endpointSlices() {
        return endpointSlices;
    }

    /** The EndpointSlices that belong to this Service (by their {@code kubernetes.io/service-name} label). */
    public List<ClusterEndpointSlice> endpointSlices(ServiceRef service) {
        return endpointSlices.stream()
                .filter(slice -> slice.namespace().equals(service.namespace()) && slice.service().equals(service.name()))
                .toList();
    }

    /** Adds the policy, or replaces the one of the same namespace and name (as {@code kubectl apply} would). */
    public ClusterState withPolicy(NetworkPolicy policy) {
        Builder builder = withoutPodsAndPolicies();
        builder.pods.addAll(pods.values());
        String key = policyKey(policy);
        boolean replaced = false;
        for (NetworkPolicy existing : policies) {
            if (policyKey(existing).equals(key)) {
                builder.policy(policy);
                replaced = true;
            } else {
                builder.policy(existing);
            }
        }
        if (!replaced) {
            builder.policy(policy);
        }
        return builder.build();
    }

    public ClusterState withPolicies(Collection<NetworkPolicy> newPolicies) {
        Builder builder = withoutPodsAndPolicies();
        builder.pods.addAll(pods.values());
        newPolicies.forEach(builder::policy);
        return builder.build();
    }

    public ClusterState withoutPolicies() {
        return withPolicies(List.of());
    }

    public ClusterState withNamespaceLabels(String name, Map<String, String> labels) {
        ClusterNamespace namespace = namespace(name).orElseThrow(() -> new IllegalArgumentException("no namespace " + name));
        Builder builder = toBuilder();
        builder.namespace(namespace.withLabels(labels));
        return builder.build();
    }

    public ClusterState withPodLabels(PodRef ref, Map<String, String> labels) {
        ClusterPod pod = pod(ref).orElseThrow(() -> new IllegalArgumentException("no pod " + ref));
        Builder builder = withoutPodsAndPolicies();
        pods.values().forEach(existing -> builder.pod(existing.ref().equals(ref) ? pod.withLabels(labels) : existing));
        policies.forEach(builder::policy);
        return builder.build();
    }

    /** The policy's namespace, {@code default} when its metadata names none (as kubectl would apply it). */
    public static String namespaceOf(NetworkPolicy policy) {
        return FromFabric8.namespaceOf(policy.getMetadata());
    }

    /** {@code namespace/name}, the way problems and traces name a policy. */
    public static String policyKey(NetworkPolicy policy) {
        String name = policy.getMetadata() == null ? null : policy.getMetadata().getName();
        return namespaceOf(policy) + "/" + (name == null ? "<unnamed>" : name);
    }

    private Map<String, ClusterNamespace> declaredNamespaces() {
        var declared = new LinkedHashMap<>(namespaces);
        implicitNamespaces.forEach(declared::remove);
        return declared;
    }

    private static void addImplicit(String name, Map<String, ClusterNamespace> namespaces, Set<String> implicit) {
        if (!namespaces.containsKey(name)) {
            namespaces.put(name, new ClusterNamespace(name, Map.of()));
            implicit.add(name);
        }
    }

    /** Collects a snapshot; later namespaces replace earlier ones of the same name. */
    public static final class Builder {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Map<String, ClusterNamespace> namespaces = new LinkedHashMap<>();
        private final List<ClusterPod> pods = new ArrayList<>();
        private final List<NetworkPolicy> policies = new ArrayList<>();
        private final List<ClusterService> services = new ArrayList<>();
        private final List<ClusterEndpointSlice> endpointSlices = new ArrayList<>();

        private Builder() {}

        public Builder namespace(ClusterNamespace namespace) {
            namespaces.put(namespace.name(), Objects.requireNonNull(namespace));
            return this;
        }

        public Builder namespace(Namespace namespace) {
            return namespace(FromFabric8.namespace(namespace));
        }

        public Builder pod(ClusterPod pod) {
            pods.add(Objects.requireNonNull(pod));
            return this;
        }

        public Builder pod(Pod pod) {
            return pod(FromFabric8.pod(pod));
        }

        public Builder service(ClusterService service) {
            services.add(Objects.requireNonNull(service));
            return this;
        }

        public Builder endpointSlice(ClusterEndpointSlice slice) {
            endpointSlices.add(Objects.requireNonNull(slice));
            return this;
        }

        public Builder policy(NetworkPolicy policy) {
            policies.add(copyOf(Objects.requireNonNull(policy)));
            return this;
        }

        /**
         * A deep copy through JSON, not NetworkPolicyBuilder: the builder turns a null list entry into an empty
         * object ({@code ingress: [null]} into a rule that allows everything), hiding it from the validator.
         */
        private static NetworkPolicy copyOf(NetworkPolicy policy) {
            try {
                return JSON.treeToValue(JSON.valueToTree(policy), NetworkPolicy.class);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("NetworkPolicy " + policyKey(policy) + " cannot be copied: " + e.getOriginalMessage(), e);
            }
        }

        public ClusterState build() {
            return new ClusterState(this);
        }
    }
}
