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

/**
 * A Weir process as a cluster runs it, from the command line's jar: the agent (`weir agent`, as its
 * DaemonSet would), killed with SIGKILL in the test, or the operator (`weir operator`).
 */
final class WeirProcess implements AutoCloseable {
    final Path log;
    final int port;
    private final Process process;

    private WeirProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static WeirProcess start(Path dir, Path kubeconfig, String node, Path netns, Path pins) throws IOException {
        int port = freePort();
        return launch(dir, "agent", port, List.of("agent", "--node", node, "--kubeconfig", kubeconfig.toString(), "--netns", netns.toString(),
                "--pins", pins.toString(), "--state", dir.resolve("state").toString(), "--socket", dir.resolve("cni.sock").toString(),
                "--port", Integer.toString(port), "--cni-conf-dir", dir.resolve("net.d").toString(), "--cni-bin-dir", dir.resolve("bin").toString(),
                "--plugin-jar", System.getProperty("weir.cni.jar")));
    }

    /** `weir operator` against the stand-in, its namespace weir-system. */
    static WeirProcess operator(Path dir, Path kubeconfig) throws IOException {
        int port = freePort();
        return launch(dir, "operator", port, List.of("operator", "--kubeconfig", kubeconfig.toString(), "--namespace", "weir-system",
                "--port", Integer.toString(port)));
    }

    private static WeirProcess launch(Path dir, String what, int port, List<String> arguments) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-jar", System.getProperty("weir.cli.jar")));
        command.addAll(arguments);
        Path log = dir.resolve(what + "-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new WeirProcess(process, log, port);
    }

    private static int freePort() throws IOException {
        try (var probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
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
