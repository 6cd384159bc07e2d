package dev.weir.compiler.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.compiler.services.ClusterEndpointSlice;
import dev.weir.compiler.services.ServiceRef;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a discovery.k8s.io/v1 EndpointSlice as kube-proxy sees it once the API server has validated and
 * defaulted it (upstream's ValidateEndpointSlice). Ports and endpoints bind and are checked one by one: a bad one
 * is left out with one line per problem, the rest kept. The slice itself is left out when its metadata or
 * address type is bad, when it lacks the {@value #SERVICE_NAME} label (kube-proxy could not tell whose it is),
 * or when it has more endpoints or ports than the API server accepts, which also bounds what one document
 * can make the compiler do.
 */
final class EndpointSliceBinding {

    static final String SERVICE_NAME = "kubernetes.io/service-name";
    /** Upstream's maxEndpoints, maxPorts and maxAddresses. */
    static final int MAX_ENDPOINTS = 1000, MAX_PORTS = 100, MAX_ADDRESSES = 100;

    /**
     * @param slice   the slice, or null when it is left out (the refusals say why) or skipped (the warning does)
     * @param warning why a valid slice is skipped (IPv6, FQDN), or null
     */
    record Result(ClusterEndpointSlice slice, List<String> refusals, String warning) {}

    static final String SLICE_LEFT_OUT = "the EndpointSlice is left out";
    private static final String PORT_LEFT_OUT = "the port is left out";
    private static final String ENDPOINT_LEFT_OUT = "the endpoint is left out";
    private static final String[] PROTOCOLS = {"SCTP", "TCP", "UDP"};

    private final String namespace;
    private final String described;
    private final Refusals refusals;

    private EndpointSliceBinding(String key) {
        this.namespace = key.substring(0, key.indexOf('/'));
        this.described = "EndpointSlice " + key;
        this.refusals = new Refusals(described);
    }

    static Result bind(ObjectNode node) {
        return new EndpointSliceBinding(PolicyBinding.key(node)).bindNode(node);
    }

    /** The Service the slice's {@value #SERVICE_NAME} label names, as far as it can be read; or null. */
    static ServiceRef serviceOf(JsonNode node) {
        JsonNode label = node.path("metadata").path("labels").path(SERVICE_NAME);
        if (!label.isTextual() || label.textValue().isEmpty()) return null;
        String key = PolicyBinding.key(node);
        return new ServiceRef(key.substring(0, key.indexOf('/')), label.textValue());
    }

    private Result bindNode(ObjectNode node) {
        ServiceRef service = serviceOf(node);
        ObjectNode rest = node.deepCopy();
        List<JsonNode> endpoints = items(rest.remove("endpoints"), "endpoints", MAX_ENDPOINTS);
        List<JsonNode> ports = items(rest.remove("ports"), "ports", MAX_PORTS);
        EndpointSlice slice;
        try {
            slice = StrictBinding.bind(rest, EndpointSlice.class);
        } catch (StrictBinding.Mismatch mismatch) {
            return refused(mismatch.field(), mismatch.problem());
        }
        if (endpoints == null || ports == null) return new Result(null, refusals.lines(), null);

        FieldPath metadata = FieldPath.ROOT.field("metadata");
        String name = slice.getMetadata() == null ? null : slice.getMetadata().getName();
        if (name == null || name.isBlank()) return refused(metadata.field("name"), FieldErrors.REQUIRED);
        String addressType = slice.getAddressType();
        if (addressType == null || addressType.isEmpty()) return refused(FieldPath.ROOT.field("addressType"), FieldErrors.REQUIRED);
        if ("IPv6".equals(addressType) || "FQDN".equals(addressType)) {
            return new Result(null, List.of(), "skipping " + described + ": addressType " + addressType
                    + " is not supported yet (only IPv4)");
        }
        if (!"IPv4".equals(addressType)) {
            return refused(FieldPath.ROOT.field("addressType"), FieldErrors.unsupported(addressType, "FQDN", "IPv4", "IPv6"));
        }
        var labels = slice.getMetadata().getLabels();
        FieldPath labelField = metadata.field("labels").field(SERVICE_NAME);
        if (labels != null && labels.containsKey(SERVICE_NAME) && labels.get(SERVICE_NAME) == null) {
            return refused(labelField, "must not be null");
        }
        if (service == null) {
            return refused(labelField, FieldErrors.required("kube-proxy uses it to tell which Service the slice is for"));
        }
        var clusterSlice = new ClusterEndpointSlice(namespace, name, service.name(), ports(ports), endpoints(endpoints));
        return new Result(clusterSlice, refusals.lines(), null);
    }

    /** The list's items, or null when it is refused (not a list, or too long). */
    private List<JsonNode> items(JsonNode list, String field, int max) {
        var items = new ArrayList<JsonNode>();
        if (list == null || list.isNull()) return items;
        if (!list.isArray()) {
            refusals.add(FieldPath.ROOT.field(field), "expected a list, found " + StrictBinding.describe(list), SLICE_LEFT_OUT);
            return null;
        }
        if (list.size() > max) {
            refusals.add(FieldPath.ROOT.field(field), FieldErrors.tooMany(list.size(), max), SLICE_LEFT_OUT);
            return null;
        }
        list.forEach(items::add);
        return items;
    }

    private List<ClusterEndpointSlice.Port> ports(List<JsonNode> nodes) {
        var kept = new ArrayList<ClusterEndpointSlice.Port>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            FieldPath at = FieldPath.ROOT.field("ports").index(i);
            EndpointPort port = bind(nodes.get(i), EndpointPort.class, at, PORT_LEFT_OUT);
            if (port == null) continue;
            int before = refusals.count();
            String name = port.getName() == null ? "" : port.getName();
            String nameProblem = name.isEmpty() ? null : ApiNames.dns1123LabelProblem(name);
            if (nameProblem != null) {
                refusals.add(at.field("name"), FieldErrors.invalid(name, nameProblem), PORT_LEFT_OUT);
            } else if (names.contains(name)) {
                refusals.add(at.field("name"), FieldErrors.duplicate(name), PORT_LEFT_OUT);
            }
            var protocol = Protocol.fromApi(port.getProtocol());
            if (protocol.isEmpty()) refusals.add(at.field("protocol"), FieldErrors.unsupported(port.getProtocol(), PROTOCOLS), PORT_LEFT_OUT);
            // No number means "all ports", which kube-proxy cannot serve and skips; so does Weir, saying so.
            if (port.getPort() == null) {
                refusals.add(at.field("port"), FieldErrors.required("kube-proxy skips a port without a number"), PORT_LEFT_OUT);
            } else if (port.getPort() < 1 || port.getPort() > 65535) {
                refusals.add(at.field("port"), FieldErrors.invalid(port.getPort(), "must be between 1 and 65535"), PORT_LEFT_OUT);
            }
            if (refusals.count() > before) continue;
            names.add(name);
            kept.add(new ClusterEndpointSlice.Port(name, protocol.get(), port.getPort()));
        }
        return kept;
    }

    private List<ClusterEndpointSlice.Endpoint> endpoints(List<JsonNode> nodes) {
        var kept = new ArrayList<ClusterEndpointSlice.Endpoint>();
        for (int i = 0; i < nodes.size(); i++) {
            FieldPath at = FieldPath.ROOT.field("endpoints").index(i);
            Endpoint endpoint = bind(nodes.get(i), Endpoint.class, at, ENDPOINT_LEFT_OUT);
            if (endpoint == null) continue;
            List<String> texts = FromFabric8.nullToEmpty(endpoint.getAddresses());
            FieldPath addressesField = at.field("addresses");
            if (texts.isEmpty()) {
                refusals.add(addressesField, FieldErrors.required("must contain at least 1 address"), ENDPOINT_LEFT_OUT);
                continue;
            }
            if (texts.size() > MAX_ADDRESSES) {
                refusals.add(addressesField, FieldErrors.tooMany(texts.size(), MAX_ADDRESSES), ENDPOINT_LEFT_OUT);
                continue;
            }
            int before = refusals.count();
            var addresses = new ArrayList<Integer>();
            for (int a = 0; a < texts.size(); a++) {
                switch (AddressField.read(texts.get(a), true)) {
                    case AddressField.V4 v4 -> addresses.add(v4.address());
                    case AddressField.V6 v6 -> refusals.add(addressesField.index(a), FieldErrors.invalid(v6.text(), "must be a valid IPv4 address"), ENDPOINT_LEFT_OUT);
                    case AddressField.Invalid invalid -> refusals.add(addressesField.index(a), invalid.problem(), ENDPOINT_LEFT_OUT);
                }
            }
            if (refusals.count() > before) continue;
            kept.add(endpoint(endpoint, addresses));
        }
        return kept;
    }

    /** Conditions as kube-proxy reads them: ready absent means ready, serving absent means as ready. */
    private ClusterEndpointSlice.Endpoint endpoint(Endpoint endpoint, List<Integer> addresses) {
        EndpointConditions conditions = endpoint.getConditions() == null ? new EndpointConditions() : endpoint.getConditions();
        boolean ready = conditions.getReady() == null || conditions.getReady();
        boolean serving = conditions.getServing() == null ? ready : conditions.getServing();
        boolean terminating = conditions.getTerminating() != null && conditions.getTerminating();
        var target = endpoint.getTargetRef();
        PodRef pod = target != null && "Pod".equals(target.getKind()) && target.getName() != null && !target.getName().isEmpty()
                ? new PodRef(target.getNamespace() == null || target.getNamespace().isEmpty() ? namespace : target.getNamespace(), target.getName())
                : null;
        String node = endpoint.getNodeName() == null || endpoint.getNodeName().isEmpty() ? null : endpoint.getNodeName();
        return new ClusterEndpointSlice.Endpoint(addresses, ready, serving, terminating, node, pod);
    }

    /** The item bound, or null when it is refused (null, or a field of the wrong type). */
    private <T> T bind(JsonNode node, Class<T> type, FieldPath at, String leftOut) {
        if (node.isNull()) {
            refusals.add(at, "must not be null", leftOut);
            return null;
        }
        try {
            return StrictBinding.bind(node, type);
        } catch (StrictBinding.Mismatch mismatch) {
            refusals.add(at.plus(mismatch.field()), mismatch.problem(), leftOut);
            return null;
        }
    }

    private Result refused(FieldPath field, String problem) {
        refusals.add(field, problem, SLICE_LEFT_OUT);
        return new Result(null, refusals.lines(), null);
    }
}
