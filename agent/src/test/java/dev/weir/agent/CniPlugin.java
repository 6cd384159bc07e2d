package dev.weir.agent;

import dev.weir.agent.cni.CniInstall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real plugin, installed into a CNI_PATH directory as the executable {@code weir} and run the way a
 * container runtime runs it: CNI_* in the environment, the network configuration on standard input, the
 * result on standard output and the exit status.
 */
public record CniPlugin(Path binDir) {

    public record Outcome(int exit, String stdout) {}

    /** Installs the plugin with the agent's own install step (launcher and conflist; no AOT cache, to be quick). */
    public static CniPlugin install(Path binDir, Path socket) throws IOException {
        String jar = System.getProperty("weir.cni.jar");
        if (jar == null || !Files.exists(Path.of(jar))) throw new IllegalStateException("the plugin jar is not built: " + jar);
        CniInstall.install(binDir.resolveSibling("net.d"), binDir, socket, Path.of(jar), false);
        return new CniPlugin(binDir);
    }

    public Outcome run(Map<String, String> env, String config) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(binDir.resolve("weir").toString());
        builder.environment().clear();
        builder.environment().put("CNI_PATH", binDir.toString());
        builder.environment().putAll(env);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(config.getBytes(StandardCharsets.UTF_8));
        }
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the plugin did not finish");
        }
        return new Outcome(process.exitValue(), stdout);
    }

    /** What a runtime sets for {@code command} on a Kubernetes pod. */
    public static Map<String, String> env(String command, String containerId, Path netns, String namespace, String pod) {
        return Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", containerId, "CNI_NETNS", netns.toString(), "CNI_IFNAME", "eth0",
                "CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=" + namespace + ";K8S_POD_NAME=" + pod + ";K8S_POD_INFRA_CONTAINER_ID=" + containerId);
    }
}
