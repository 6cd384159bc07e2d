package dev.weir.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The agent as its own process, started as `weir agent` is in a DaemonSet, and killed with SIGKILL. */
final class AgentProcess implements AutoCloseable {
    final Path log;
    final int port;
    private final Process process;

    private AgentProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static AgentProcess start(Path dir, Path kubeconfig, String node, Path netns, Path pins) throws IOException {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-jar", System.getProperty("weir.cli.jar"),
                "agent", "--node", node, "--kubeconfig", kubeconfig.toString(), "--netns", netns.toString(), "--pins", pins.toString(),
                "--state", dir.resolve("state").toString(), "--socket", dir.resolve("cni.sock").toString(), "--port", Integer.toString(port),
                "--cni-conf-dir", dir.resolve("net.d").toString(), "--cni-bin-dir", dir.resolve("bin").toString(),
                "--plugin-jar", System.getProperty("weir.cni.jar")));
        Path log = dir.resolve("agent-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AgentProcess(process, log, port);
    }

    /** 200 from /readyz, or the reason it is not ready. */
    String readiness() {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body().strip();
        } catch (IOException e) {
            return "unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    String metrics() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no cleanup; what the agent pinned stays. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }
}
