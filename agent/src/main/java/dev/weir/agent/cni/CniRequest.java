package dev.weir.agent.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One invocation of the plugin as the runtime made it: the CNI_* environment and the network configuration
 * from standard input, forwarded by the plugin over the agent's socket as the two parts of a {@link CniFrame}.
 */
public record CniRequest(String command, String containerId, String netns, String ifname, Map<String, String> args,
                         String path, ObjectNode config) {
    public static final List<String> SUPPORTED_VERSIONS = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
    static final Set<String> ENVIRONMENT = Set.of("CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH");

    /** Parses the plugin's frame; a missing or malformed part is the CNI error the spec names for it. */
    public static CniRequest parse(byte[] frame) {
        CniFrame parts = CniFrame.split(frame);
        Map<String, String> env = environment(StrictJson.read(parts.environment(), "the plugin's CNI_* environment"));
        String command = env.get("CNI_COMMAND");
        if (command == null) throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_COMMAND is not set");
        JsonNode config = StrictJson.read(parts.config(), "the network configuration on standard input");
        if (!(config instanceof ObjectNode object)) {
            throw new CniError(CniError.DECODE_FAILURE, "the network configuration on standard input is not a JSON object");
        }
        String version = text(object, "cniVersion");
        if (version == null) throw new CniError(CniError.INVALID_CONFIG, "the network configuration has no cniVersion");
        if (!SUPPORTED_VERSIONS.contains(version)) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "cniVersion " + version + " is not supported",
                    "supported: " + String.join(", ", SUPPORTED_VERSIONS));
        }
        var request = new CniRequest(command, env.get("CNI_CONTAINERID"), env.get("CNI_NETNS"), env.get("CNI_IFNAME"),
                args(env.get("CNI_ARGS")), env.get("CNI_PATH"), object);
        request.requireEnvironment();
        return request;
    }

    public String cniVersion() {
        return config.path("cniVersion").asText();
    }

    /** The Kubernetes pod, from CNI_ARGS (K8S_POD_NAMESPACE, K8S_POD_NAME), when the runtime gave it. */
    public String podNamespace() {
        return args.get("K8S_POD_NAMESPACE");
    }

    public String podName() {
        return args.get("K8S_POD_NAME");
    }

    private void requireEnvironment() {
        switch (command) {
            case "ADD", "CHECK" -> require("CNI_CONTAINERID", containerId, "CNI_NETNS", netns, "CNI_IFNAME", ifname);
            case "DEL" -> require("CNI_CONTAINERID", containerId, "CNI_IFNAME", ifname, "", "x");
            case "STATUS", "GC", "VERSION" -> {}
            default -> throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_COMMAND " + command + " is not a CNI command");
        }
    }

    private void require(String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] == null || namesAndValues[i + 1].isEmpty()) {
                throw new CniError(CniError.INVALID_ENVIRONMENT, namesAndValues[i] + " is not set (needed by " + command + ")");
            }
        }
    }

    /** The environment part: an object of the CNI_* variables the runtime set, each a string. */
    private static Map<String, String> environment(JsonNode part) {
        if (!part.isObject()) throw new CniError(CniError.DECODE_FAILURE, "the plugin's CNI_* environment is not a JSON object");
        var env = new LinkedHashMap<String, String>();
        for (var field : part.properties()) {
            if (!ENVIRONMENT.contains(field.getKey())) {
                throw new CniError(CniError.DECODE_FAILURE, "the plugin's environment carries " + field.getKey() + ", not a CNI_* variable");
            }
            if (!field.getValue().isTextual()) throw new CniError(CniError.DECODE_FAILURE, field.getKey() + " is not a string");
            env.put(field.getKey(), field.getValue().asText());
        }
        return env;
    }

    static Map<String, String> args(String text) {
        var args = new LinkedHashMap<String, String>();
        if (text == null || text.isBlank()) return args;
        for (String pair : text.split(";")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_ARGS: \"" + pair + "\" is not KEY=VALUE");
            args.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return args;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
