package dev.weir.cni;

import java.io.IOException;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The CNI plugin a container runtime executes (spec 1.1.0): it reads the CNI_* environment and the network
 * configuration on standard input, answers VERSION itself, and forwards every other command to the Weir
 * agent on the node over its Unix socket, printing the agent's answer and exiting with its status. The
 * agent does the work (IPAM, wiring, policy), so this stays small: a JVM starts for every call.
 */
public final class Main {
    static final String DEFAULT_SOCKET = "/run/weir/cni.sock";
    static final List<String> ENVIRONMENT = List.of("CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH");
    static final String VERSIONS = "{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}";
    private static final int TRY_AGAIN_LATER = 11, NOT_AVAILABLE = 50, DECODE_FAILURE = 6, INVALID_ENVIRONMENT = 4;

    private Main() {}

    public static void main(String[] args) throws IOException {
        byte[] stdin = System.in.readAllBytes();
        System.exit(run(System.getenv(), new String(stdin, StandardCharsets.UTF_8), System.out));
    }

    static int run(Map<String, String> env, String config, PrintStream out) {
        String command = env.get("CNI_COMMAND");
        if (command == null) return fail(out, INVALID_ENVIRONMENT, "CNI_COMMAND is not set", "");
        if (command.equals("VERSION")) {
            out.print(VERSIONS);
            return 0;
        }
        String socket;
        try {
            socket = JsonText.topLevelString(config, "weirSocket");
        } catch (IllegalArgumentException e) {
            return fail(out, DECODE_FAILURE, "the network configuration is not JSON", e.getMessage());
        }
        Path path = Path.of(socket == null ? DEFAULT_SOCKET : socket);
        var envelope = new StringBuilder("{\"env\":{");
        boolean first = true;
        for (String name : ENVIRONMENT) {
            String value = env.get(name);
            if (value == null) continue;
            if (!first) envelope.append(',');
            JsonText.quote(envelope, name).append(':');
            JsonText.quote(envelope, value);
            first = false;
        }
        envelope.append("},\"config\":").append(config.isBlank() ? "null" : config).append('}');
        String answer;
        try {
            answer = exchange(path, envelope.toString());
        } catch (IOException e) {
            // DEL must not hold a pod's teardown while the agent is away: the sandbox's namespace takes the
            // pod's veth with it, and the runtime's GC releases the address later.
            if (command.equals("DEL")) return 0;
            return fail(out, command.equals("STATUS") ? NOT_AVAILABLE : TRY_AGAIN_LATER,
                    "the Weir agent is not reachable at " + path, String.valueOf(e.getMessage()));
        }
        int newline = answer.indexOf('\n');
        out.print(answer.substring(newline + 1));
        return Integer.parseInt(answer.substring(0, newline));
    }

    /** One request, one answer, each framed by a 4-byte big-endian length. */
    static String exchange(Path socket, String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).flip();
            while (out.hasRemaining()) channel.write(out);
            ByteBuffer length = read(channel, 4);
            return new String(read(channel, length.getInt()).array(), StandardCharsets.UTF_8);
        }
    }

    private static ByteBuffer read(SocketChannel channel, int size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) throw new IOException("the agent closed the connection early");
        }
        return buffer.flip();
    }

    private static int fail(PrintStream out, int code, String message, String details) {
        var error = new StringBuilder("{\"cniVersion\":\"1.1.0\",\"code\":").append(code).append(",\"msg\":");
        JsonText.quote(error, message).append(",\"details\":");
        JsonText.quote(error, details).append('}');
        out.print(error);
        return 1;
    }
}
