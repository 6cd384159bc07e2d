package dev.weir.compiler.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.compiler.services.ClusterService;
import dev.weir.compiler.services.ServicePort;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Service's {@code spec.ports}, each bound and checked on its own as upstream's validateServicePort does: a
 * bad port is left out, with one line per problem, and the others are kept. Duplicates are checked against the
 * ports kept so far, so of two ports that clash the first stays.
 */
final class ServicePorts {

    private static final FieldPath PORTS = FieldPath.ROOT.field("spec").field("ports");
    private static final String LEFT_OUT = "the port is left out";
    private static final String[] PROTOCOLS = {"SCTP", "TCP", "UDP"};

    private final ClusterService.Type type;
    private final Refusals refusals;
    private final Set<String> names = new HashSet<>();
    private final Set<String> ports = new HashSet<>();
    private final Set<String> nodePorts = new HashSet<>();

    ServicePorts(ClusterService.Type type, Refusals refusals) {
        this.type = type;
        this.refusals = refusals;
    }

    List<ServicePort> read(List<JsonNode> nodes) {
        var kept = new ArrayList<ServicePort>();
        for (int i = 0; i < nodes.size(); i++) {
            FieldPath at = PORTS.index(i);
            JsonNode node = nodes.get(i);
            if (node.isNull()) {
                refusals.add(at, "must not be null", LEFT_OUT);
                continue;
            }
            try {
                var port = read(StrictBinding.bind(node, io.fabric8.kubernetes.api.model.ServicePort.class), at, nodes.size() > 1);
                if (port != null) kept.add(port);
            } catch (StrictBinding.Mismatch mismatch) {
                refusals.add(at.plus(mismatch.field()), mismatch.problem(), LEFT_OUT);
            }
        }
        return kept;
    }

    /** The port, or null when it is left out (its problems are refused). */
    private ServicePort read(io.fabric8.kubernetes.api.model.ServicePort given, FieldPath at, boolean nameRequired) {
        int before = refusals.count();
        String name = given.getName() == null ? "" : given.getName();
        String nameProblem = name.isEmpty() ? null : ApiNames.dns1123LabelProblem(name);
        if (name.isEmpty()) {
            if (nameRequired) refusals.add(at.field("name"), FieldErrors.REQUIRED, LEFT_OUT);
        } else if (nameProblem != null) {
            refusals.add(at.field("name"), FieldErrors.invalid(name, nameProblem), LEFT_OUT);
        } else if (names.contains(name)) {
            refusals.add(at.field("name"), FieldErrors.duplicate(name), LEFT_OUT);
        }
        Integer number = given.getPort();
        if (number == null) {
            refusals.add(at.field("port"), FieldErrors.REQUIRED, LEFT_OUT);
        } else if (!isPort(number)) {
            refusals.add(at.field("port"), FieldErrors.invalid(number, "must be between 1 and 65535"), LEFT_OUT);
        }
        var protocol = Protocol.fromApi(given.getProtocol());
        if (protocol.isEmpty()) {
            refusals.add(at.field("protocol"), FieldErrors.unsupported(given.getProtocol(), PROTOCOLS), LEFT_OUT);
        }
        ServicePort.TargetPort target = targetPort(given.getTargetPort(), number, at.field("targetPort"));
        int nodePort = nodePort(given.getNodePort(), at.field("nodePort"));
        if (refusals.count() > before) return null;

        String key = number + "/" + protocol.get();
        if (ports.contains(key)) {
            refusals.add(at, "Duplicate value: " + key, LEFT_OUT);
            return null;
        }
        if (nodePort != 0 && nodePorts.contains(nodePort + "/" + protocol.get())) {
            refusals.add(at.field("nodePort"), FieldErrors.duplicate(nodePort), LEFT_OUT);
            return null;
        }
        names.add(name);
        ports.add(key);
        if (nodePort != 0) nodePorts.add(nodePort + "/" + protocol.get());
        return new ServicePort(name, protocol.get(), number, target, nodePort);
    }

    /** Absent, 0 or "" mean the port's own number (SetDefaults_Service); a string names a container port. */
    private ServicePort.TargetPort targetPort(IntOrString given, Integer number, FieldPath field) {
        if (given == null || Integer.valueOf(0).equals(given.getIntVal()) || "".equals(given.getStrVal())
                || (given.getIntVal() == null && given.getStrVal() == null)) {
            return number != null && isPort(number) ? new ServicePort.TargetPort.Number(number) : null;
        }
        if (given.getIntVal() != null) {
            if (isPort(given.getIntVal())) return new ServicePort.TargetPort.Number(given.getIntVal());
            refusals.add(field, FieldErrors.invalid(given.getIntVal(), "must be between 1 and 65535"), LEFT_OUT);
            return null;
        }
        String problem = ApiNames.portNameProblem(given.getStrVal());
        if (problem == null) return new ServicePort.TargetPort.Named(given.getStrVal());
        refusals.add(field, FieldErrors.invalid(given.getStrVal(), problem), LEFT_OUT);
        return null;
    }

    /** 0 for none; only NodePort and LoadBalancer Services have node ports, from the node port range. */
    private int nodePort(Integer given, FieldPath field) {
        if (given == null || given == 0) return 0;
        if (type == ClusterService.Type.CLUSTER_IP) {
            refusals.add(field, FieldErrors.forbidden("may not be used when `type` is 'ClusterIP'"), LEFT_OUT);
        } else if (given < ServiceBinding.NODE_PORT_MIN || given > ServiceBinding.NODE_PORT_MAX) {
            refusals.add(field, FieldErrors.invalid(given, "provided port is not in the valid range. The range of valid ports is "
                    + ServiceBinding.NODE_PORT_MIN + "-" + ServiceBinding.NODE_PORT_MAX), LEFT_OUT);
        }
        return given;
    }

    private static boolean isPort(int number) {
        return number >= 1 && number <= 65535;
    }
}
