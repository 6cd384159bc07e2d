package dev.weir.cni;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What the plugin sends the agent: two parts, each a 4-byte big-endian length and its bytes,
 * <pre>
 *   [length][environment: {"CNI_COMMAND": "ADD", ...}, the CNI_* variables set, each a string]
 *   [length][network configuration: standard input, unchanged]
 * </pre>
 * (and around the whole, the socket's own 4-byte length). The parts never share a JSON text, so nothing in the
 * configuration can add to or override the environment.
 */
final class RequestFrame {
    static final List<String> ENVIRONMENT = List.of("CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH");
    /** With {@link NetworkConfig#MAX_BYTES}, well below the agent's frame limit. */
    static final int MAX_ENVIRONMENT_BYTES = 1 << 20;

    private RequestFrame() {}

    /** The frame for {@code env} and {@code config}; null when the environment is larger than the frame allows. */
    static byte[] encode(Map<String, String> env, NetworkConfig config) {
        byte[] environment = environment(env);
        if (environment.length > MAX_ENVIRONMENT_BYTES) return null;
        return ByteBuffer.allocate(8 + environment.length + config.bytes().length)
                .putInt(environment.length).put(environment)
                .putInt(config.bytes().length).put(config.bytes())
                .array();
    }

    static byte[] environment(Map<String, String> env) {
        var json = new StringBuilder("{");
        for (String name : ENVIRONMENT) {
            String value = env.get(name);
            if (value == null) continue;
            if (json.length() > 1) json.append(',');
            JsonText.quote(json, name).append(':');
            JsonText.quote(json, value);
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
}
