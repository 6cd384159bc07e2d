package dev.weir.cni;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The CNI plugin a container runtime executes (spec 1.1.0): it reads the CNI_* environment and the network
 * configuration on standard input, answers VERSION itself, and forwards every other command to the Weir
 * agent on the node over its Unix socket, printing the agent's answer and exiting with its status. The
 * agent does the work (IPAM, wiring, policy), so this stays small: a JVM starts for every call.
 */
public final class Main {
    static final String DEFAULT_SOCKET = "/run/weir/cni.sock";
    static final String VERSIONS = "{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}";
    private static final int TRY_AGAIN_LATER = 11, NOT_AVAILABLE = 50, DECODE_FAILURE = 6, INVALID_ENVIRONMENT = 4,
            INVALID_CONFIG = 7, IO_FAILURE = 5;
    /** The agent's answers are small (a CNI result or error); more is not an answer. */
    private static final int MAX_ANSWER = 1 << 20;

    private Main() {}

    public static void main(String[] args) {
        int exit;
        try {
            exit = run(System.getenv(), System.in, System.out);
        } catch (IOException | RuntimeException e) {
            exit = fail(System.out, IO_FAILURE, "the Weir CNI plugin failed", String.valueOf(e.getMessage()));
        }
        System.out.flush();
        System.exit(exit);
    }

    static int run(Map<String, String> env, InputStream stdin, PrintStream out) throws IOException {
        String command = env.get("CNI_COMMAND");
        if (command == null) return fail(out, INVALID_ENVIRONMENT, "CNI_COMMAND is not set", "");
        if (command.equals("VERSION")) {
            out.print(VERSIONS);
            return 0;
        }
        // A configuration that is not one strict JSON object is refused here, for every command (DEL too):
        // it is the runtime's mistake, not an agent that is away.
        NetworkConfig config;
        try {
            config = NetworkConfig.read(stdin);
        } catch (NetworkConfig.Invalid e) {
            return fail(out, DECODE_FAILURE, e.getMessage(), e.details());
        }
        if (config.topLevel().names().contains("weirSocket") && !config.topLevel().strings().containsKey("weirSocket")) {
            return fail(out, INVALID_CONFIG, "weirSocket in the network configuration is not a string", "");
        }
        Path path = Path.of(config.topLevel().strings().getOrDefault("weirSocket", DEFAULT_SOCKET));
        byte[] request = RequestFrame.encode(env, config);
        if (request == null) {
            return fail(out, INVALID_ENVIRONMENT, "the CNI_* environment is larger than " + RequestFrame.MAX_ENVIRONMENT_BYTES + " bytes", "");
        }
        String answer;
        try {
            answer = exchange(path, request);
        } catch (IOException e) {
            // DEL must not hold a pod's teardown while the agent is away: the sandbox's namespace takes the
            // pod's veth with it, and the runtime's GC releases the address later.
            if (command.equals("DEL")) return 0;
            return fail(out, command.equals("STATUS") ? NOT_AVAILABLE : TRY_AGAIN_LATER,
                    "the Weir agent is not reachable at " + path, String.valueOf(e.getMessage()));
        }
        int newline = answer.indexOf('\n');
        String status = newline < 0 ? "" : answer.substring(0, newline);
        if (!status.equals("0") && !status.equals("1")) {
            return fail(out, IO_FAILURE, "the Weir agent's answer is not one this plugin understands", "");
        }
        out.print(answer.substring(newline + 1));
        return Integer.parseInt(status);
    }

    /** One request, one answer, each framed by a 4-byte big-endian length. */
    static String exchange(Path socket, byte[] request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer out = ByteBuffer.allocate(4 + request.length).putInt(request.length).put(request).flip();
            while (out.hasRemaining()) channel.write(out);
            int length = read(channel, 4).getInt();
            if (length < 0 || length > MAX_ANSWER) throw new IOException("the agent's answer claims " + length + " bytes");
            return new String(read(channel, length).array(), StandardCharsets.UTF_8);
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
