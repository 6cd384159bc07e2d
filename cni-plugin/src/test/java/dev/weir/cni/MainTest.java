package dev.weir.cni;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    int run(Map<String, String> env, String stdin) throws Exception {
        return run(env, stdin.getBytes(StandardCharsets.UTF_8));
    }

    int run(Map<String, String> env, byte[] stdin) throws Exception {
        out.reset();
        return Main.run(env, new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionIsAnsweredWithoutTheAgentAndErrorsAreTheSpecsJson() throws Exception {
        assertThat(run(Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"1.1.0\"}")).isZero();
        assertThat(stdout()).isEqualTo(Main.VERSIONS);
        assertThat(run(Map.of("CNI_COMMAND", "STATUS"), "{\"cniVersion\":\"1.1.0\",\"weirSocket\":\"/nonexistent/weir.sock\"}")).isEqualTo(1);
        assertThat(stdout()).startsWith("{\"cniVersion\":\"1.1.0\",\"code\":50,\"msg\":\"the Weir agent is not reachable at /nonexistent/weir.sock\"");
        assertThat(run(Map.of("CNI_COMMAND", "ADD"), "not json")).isEqualTo(1);
        assertThat(stdout()).contains("\"code\":6");
        assertThat(run(Map.of("CNI_COMMAND", "ADD"), "{\"cniVersion\":\"1.1.0\",\"weirSocket\":7}")).isEqualTo(1);
        assertThat(stdout()).contains("\"code\":7", "weirSocket in the network configuration is not a string");
    }

    /** DEL with the agent away still succeeds (nothing to hold the pod's teardown), when its configuration is sound. */
    @Test
    void aSoundDelSucceedsWhileTheAgentIsAway() throws Exception {
        assertThat(run(Map.of("CNI_COMMAND", "DEL"), "{\"cniVersion\":\"1.1.0\",\"weirSocket\":\"/nonexistent/weir.sock\"}")).isZero();
        assertThat(stdout()).isEmpty();
    }

    /** A malformed or oversize configuration is the runtime's error, for every command: not "agent unreachable". */
    @Test
    void aMalformedConfigurationIsADecodeFailureForEveryCommandDelToo() throws Exception {
        byte[] big = new byte[5 << 20];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        String socket = "\"weirSocket\":\"/nonexistent/weir.sock\"";
        String injected = "{\"cniVersion\":\"1.1.0\"," + socket + "}, \"env\":{\"CNI_COMMAND\":\"DEL\",\"CNI_CONTAINERID\":\"c1\"}";
        String bomb = "{" + socket + ",\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        for (String command : new String[] {"ADD", "DEL", "CHECK", "STATUS", "GC"}) {
            var env = Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", "c1", "CNI_IFNAME", "eth0", "CNI_NETNS", "/proc/self/ns/net");
            assertThat(run(env, big)).as(command).isEqualTo(1);
            assertThat(stdout()).isEqualTo("{\"cniVersion\":\"1.1.0\",\"code\":6,\"msg\":\"the network configuration is larger than 1048576 bytes\",\"details\":\"\"}");
            assertThat(run(env, injected)).as(command).isEqualTo(1);
            assertThat(stdout()).contains("\"code\":6", "there is text after the configuration object");
            assertThat(run(env, bomb)).as(command).isEqualTo(1);
            assertThat(stdout()).contains("\"code\":6", "nests deeper than 64 levels").doesNotContain("Exception", "\n");
            assertThat(run(env, "")).as(command).isEqualTo(1);
            assertThat(stdout()).contains("\"code\":6", "it is empty");
        }
    }

    /** What reaches the agent: the frame, its parts, and the agent's answer printed with its exit status. */
    @Test
    void sendsTheEnvironmentAndTheConfigurationAsSeparatePartsToTheAgent() throws Exception {
        Path socket = dir.resolve("agent.sock");
        String config = "{\"cniVersion\":\"1.1.0\",\"weirSocket\":\"" + socket + "\",\"name\":\"weir\"}";
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket))) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel agent = server.accept()) {
                    byte[] frame = new byte[read(agent, 4).getInt()];
                    read(agent, frame.length).get(frame);
                    byte[] answer = "1\n{\"code\":3}".getBytes(StandardCharsets.UTF_8);
                    agent.write(ByteBuffer.allocate(4 + answer.length).putInt(answer.length).put(answer).flip());
                    return frame;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(run(Map.of("CNI_COMMAND", "CHECK", "CNI_CONTAINERID", "c1"), config)).isEqualTo(1);
            assertThat(stdout()).isEqualTo("{\"code\":3}");
            ByteBuffer frame = ByteBuffer.wrap(received.get());
            byte[] environment = new byte[frame.getInt()];
            frame.get(environment);
            byte[] stdin = new byte[frame.getInt()];
            frame.get(stdin);
            assertThat(frame.hasRemaining()).isFalse();
            assertThat(new String(environment, StandardCharsets.UTF_8)).isEqualTo("{\"CNI_COMMAND\":\"CHECK\",\"CNI_CONTAINERID\":\"c1\"}");
            assertThat(new String(stdin, StandardCharsets.UTF_8)).isEqualTo(config);
        }
    }

    private static ByteBuffer read(SocketChannel channel, int size) throws java.io.IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) throw new java.io.EOFException();
        }
        return buffer.flip();
    }
}
