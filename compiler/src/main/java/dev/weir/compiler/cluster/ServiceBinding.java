package dev.weir.compiler.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.compiler.services.ClusterService;
import dev.weir.compiler.services.ServicePort;
import dev.weir.compiler.services.ServiceRef;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a v1 Service as kube-proxy sees it once the API server has validated and defaulted it (upstream's
 * ValidateService and SetDefaults_Service). A bad field leaves out what it belongs to, with one line per
 * problem: a port ({@code spec.ports[i]}), an address ({@code spec.clusterIPs[i]}, {@code spec.externalIPs[i]},
 * {@code status.loadBalancer.ingress[i].ip}), or else the whole Service. IPv6 addresses are left out the same
 * way, until the datapath has IPv6.
 *
 * <p>Headless Services ({@code clusterIP: None}) and ExternalName ones are ignored without a word, as kube-proxy
 * ignores them: they are valid, and only DNS serves them. A port without a nodePort on a NodePort or
 * LoadBalancer Service (the API server would have allocated one) has no NodePort frontend.
 */
final class ServiceBinding {

    /** The API server's default {@code --service-node-port-range}. */
    static final int NODE_PORT_MIN = 30_000, NODE_PORT_MAX = 32_767;

    /**
     * @param service  the Service, or null when it is left out (the refusals say why) or ignored (none do)
     * @param selector its {@code spec.selector}, empty when it has none
     */
    record Result(ClusterService service, Map<String, String> selector, List<String> refusals) {}

    private static final FieldPath SPEC = FieldPath.ROOT.field("spec");
    static final String SERVICE_LEFT_OUT = "the Service is left out";

    private final ServiceRef ref;
    private final Refusals refusals;

    private ServiceBinding(ServiceRef ref) {
        this.ref = ref;
        this.refusals = new Refusals("Service " + ref);
    }

    static Result bind(ObjectNode node) {
        String key = PolicyBinding.key(node);
        var binding = new ServiceBinding(new ServiceRef(key.substring(0, key.indexOf('/')), key.substring(key.indexOf('/') + 1)));
        return binding.bindNode(node);
    }

    private Result bindNode(ObjectNode node) {
        // Ports bind one by one (ServicePorts), so that one port that does not fit its type leaves out only itself.
        ObjectNode rest = node.deepCopy();
        JsonNode ports = rest.path("spec") instanceof ObjectNode spec ? spec.remove("ports") : null;
        if (ports != null && !ports.isNull() && !ports.isArray()) {
            return refused(SPEC.field("ports"), "expected a list, found " + StrictBinding.describe(ports));
        }
        Service service;
        try {
            service = StrictBinding.bind(rest, Service.class);
        } catch (StrictBinding.Mismatch mismatch) {
            return refused(mismatch.field(), mismatch.problem());
        }
        var portNodes = new ArrayList<JsonNode>();
        if (ports != null) ports.forEach(portNodes::add);
        return read(service, portNodes);
    }

    private Result read(Service service, List<JsonNode> portNodes) {
        String name = service.getMetadata() == null ? null : service.getMetadata().getName();
        FieldPath nameField = FieldPath.ROOT.field("metadata").field("name");
        if (name == null || name.isBlank()) return refused(nameField, FieldErrors.REQUIRED);
        String nameProblem = ApiNames.dns1035LabelProblem(name);
        if (nameProblem != null) return refused(nameField, FieldErrors.invalid(name, nameProblem));

        ServiceSpec spec = service.getSpec() == null ? new ServiceSpec() : service.getSpec();
        ClusterService.Type type;
        switch (spec.getType() == null ? "ClusterIP" : spec.getType()) {
            case "ClusterIP" -> type = ClusterService.Type.CLUSTER_IP;
            case "NodePort" -> type = ClusterService.Type.NODE_PORT;
            case "LoadBalancer" -> type = ClusterService.Type.LOAD_BALANCER;
            case "ExternalName" -> {
                return ignored();
            }
            default -> {
                return refused(SPEC.field("type"), FieldErrors.unsupported(spec.getType(), "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"));
            }
        }
        if ("None".equals(spec.getClusterIP()) || (!FromFabric8.nullToEmpty(spec.getClusterIPs()).isEmpty() && "None".equals(spec.getClusterIPs().getFirst()))) {
            return ignored(); // headless
        }

        int before = refusals.count();
        ServiceSettings settings = ServiceSettings.read(spec, type, refusals);
        if (portNodes.isEmpty()) refusals.add(SPEC.field("ports"), FieldErrors.REQUIRED, SERVICE_LEFT_OUT);
        boolean refused = refusals.count() > before;
        List<Integer> clusterIps = clusterIps(spec); // empty when that refuses the Service
        if (refused || clusterIps.isEmpty()) {
            return new Result(null, Map.of(), refusals.lines());
        }

        List<ServicePort> ports = new ServicePorts(type, refusals).read(portNodes);
        List<Integer> externalIps = addresses(FromFabric8.nullToEmpty(spec.getExternalIPs()), SPEC.field("externalIPs"), true);
        List<Integer> loadBalancerIps = loadBalancerIps(service);
        var clusterService = new ClusterService(ref, type, clusterIps, externalIps, loadBalancerIps, ports,
                settings.affinitySeconds(), settings.internalLocal(), settings.externalLocal(),
                settings.healthCheckNodePort(), !settings.selector().isEmpty());
        return new Result(clusterService, settings.selector(), refusals.lines());
    }

    /**
     * {@code spec.clusterIPs}, whose first is {@code spec.clusterIP}, or that alone. Without one the Service is
     * left out: from a file there is no API server to allocate it, and no address to serve.
     */
    private List<Integer> clusterIps(ServiceSpec spec) {
        String primary = spec.getClusterIP() == null || spec.getClusterIP().isEmpty() ? null : spec.getClusterIP();
        List<String> all = FromFabric8.nullToEmpty(spec.getClusterIPs());
        if (!all.isEmpty() && primary != null && !primary.equals(all.getFirst())) {
            refusals.add(SPEC.field("clusterIPs").index(0), FieldErrors.invalid(all.getFirst(), "must match spec.clusterIP"), SERVICE_LEFT_OUT);
            return List.of();
        }
        if (all.isEmpty() && primary == null) {
            refusals.add(SPEC.field("clusterIP"), FieldErrors.required("the API server would allocate it; without it the Service has no address"),
                    SERVICE_LEFT_OUT);
            return List.of();
        }
        boolean listed = !all.isEmpty();
        List<String> texts = listed ? all : List.of(primary);
        var ipv4 = texts.stream().map(text -> AddressField.read(text, false)).filter(AddressField.V4.class::isInstance).toList();
        String leftOut = ipv4.isEmpty() ? "the Service is left out (it has no IPv4 cluster IP)" : "the address is left out";
        var addresses = new ArrayList<Integer>();
        for (int i = 0; i < texts.size(); i++) {
            FieldPath field = listed ? SPEC.field("clusterIPs").index(i) : SPEC.field("clusterIP");
            read(texts.get(i), field, false, leftOut, addresses);
        }
        return addresses;
    }

    /** {@code status.loadBalancer.ingress[].ip} in VIP mode; in Proxy mode the load balancer, not the node, translates. */
    private List<Integer> loadBalancerIps(Service service) {
        var addresses = new ArrayList<Integer>();
        if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null) return addresses;
        List<LoadBalancerIngress> ingress = FromFabric8.nullToEmpty(service.getStatus().getLoadBalancer().getIngress());
        FieldPath list = FieldPath.ROOT.field("status").field("loadBalancer").field("ingress");
        for (int i = 0; i < ingress.size(); i++) {
            LoadBalancerIngress entry = ingress.get(i);
            if (entry == null || entry.getIp() == null || entry.getIp().isEmpty()) continue; // a hostname only
            String mode = entry.getIpMode();
            if ("Proxy".equals(mode)) continue;
            if (mode != null && !"VIP".equals(mode)) {
                refusals.add(list.index(i).field("ipMode"), FieldErrors.unsupported(mode, "Proxy", "VIP"), "the address is left out");
                continue;
            }
            read(entry.getIp(), list.index(i).field("ip"), false, "the address is left out", addresses);
        }
        return addresses;
    }

    private List<Integer> addresses(List<String> texts, FieldPath list, boolean nonSpecial) {
        var addresses = new ArrayList<Integer>();
        for (int i = 0; i < texts.size(); i++) {
            read(texts.get(i), list.index(i), nonSpecial, "the address is left out", addresses);
        }
        return addresses;
    }

    private void read(String text, FieldPath field, boolean nonSpecial, String leftOut, List<Integer> addresses) {
        switch (AddressField.read(text, nonSpecial)) {
            case AddressField.V4 v4 -> addresses.add(v4.address());
            case AddressField.V6 v6 -> refusals.add(field, FieldErrors.quoted(v6.text()) + ": " + AddressField.IPV6_NOT_SUPPORTED, leftOut);
            case AddressField.Invalid invalid -> refusals.add(field, invalid.problem(), leftOut);
        }
    }

    private Result refused(FieldPath field, String problem) {
        refusals.add(field, problem, SERVICE_LEFT_OUT);
        return new Result(null, Map.of(), refusals.lines());
    }

    private Result ignored() {
        return new Result(null, Map.of(), List.of());
    }
}
