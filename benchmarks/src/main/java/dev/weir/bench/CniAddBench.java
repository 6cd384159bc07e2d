package dev.weir.bench;

import dev.weir.agent.cni.CniInstall;
import dev.weir.agent.cni.CniService;
import dev.weir.agent.cni.CniSocketServer;
import dev.weir.agent.enforce.NodeDatapath;
import dev.weir.agent.network.Ipam;
import dev.weir.agent.network.PodNetwork;
import dev.weir.datapath.kernel.NetNs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * CNI ADD and DEL latency as a runtime sees it: wall time from starting the installed plugin process to its
 * exit, against the agent's CNI service (in this process) wiring real pods into a node network namespace
 * and attaching their (deny until published) programs. Once with the launcher the install step writes
 * (AOT cache), once with plain class data sharing.
 * Run (root): java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar dev.weir.bench.CniAddBench [PODS] [PLUGIN_JAR]
 */
public final class CniAddBench {

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path jar = Path.of(args.length > 1 ? args[1] : "cni-plugin/target/weir-cni.jar");
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 5);
        String node = "weir-bench-" + id + "-node";
        Path pins = Path.of("/sys/fs/bpf/weir-bench-" + id);
        Path dir = Files.createTempDirectory("weir-cni-bench");
        List<String> sandboxes = new ArrayList<>();
        ip("netns", "add", node);
        NodeDatapath datapath = null;
        try {
            PodNetwork network = new PodNetwork(NetNs.named(node));
            datapath = new NodeDatapath(pins, network);
            Ipam ipam = new Ipam(dir.resolve("ipam.json"), "10.250.0.0/16");
            Path socket = dir.resolve("cni.sock");
            try (var server = new CniSocketServer(socket, new CniService(() -> ipam, network, datapath))) {
                for (boolean aot : new boolean[] {true, false}) {
                    Path bin = Files.createDirectories(dir.resolve(aot ? "bin-aot" : "bin-cds"));
                    Path launcher = CniInstall.install(dir.resolve("net.d"), bin, socket, jar, aot);
                    String config = "{\"cniVersion\":\"1.1.0\",\"name\":\"weir\",\"type\":\"weir\",\"weirSocket\":\"" + socket + "\"}";
                    long[] add = new long[count], del = new long[count];
                    for (int i = 0; i < count; i++) {
                        String sandbox = "weir-bench-" + id + "-" + (aot ? "a" : "c") + i;
                        ip("netns", "add", sandbox);
                        sandboxes.add(sandbox);
                        add[i] = run(launcher, "ADD", sandbox, i, config);
                    }
                    for (int i = 0; i < count; i++) {
                        del[i] = run(launcher, "DEL", "weir-bench-" + id + "-" + (aot ? "a" : "c") + i, i, config);
                    }
                    System.out.printf("%s: ADD p50 %.1f ms, p99 %.1f ms; DEL p50 %.1f ms, p99 %.1f ms (%d pods, node netns, real veths)%n",
                            aot ? "launcher with AOT cache (what the agent installs)" : "launcher with default CDS only",
                            percentile(add, 50), percentile(add, 99), percentile(del, 50), percentile(del, 99), count);
                }
            }
        } finally {
            if (datapath != null) datapath.uninstall();
            for (String sandbox : sandboxes) tryIp("netns", "del", sandbox);
            tryIp("netns", "del", node);
        }
    }

    private static long run(Path launcher, String command, String sandbox, int i, String config) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(launcher.toString());
        builder.environment().clear();
        builder.environment().putAll(Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", "bench-" + sandbox, "CNI_NETNS", NetNs.named(sandbox).toString(),
                "CNI_IFNAME", "eth0", "CNI_PATH", launcher.getParent().toString(),
                "CNI_ARGS", "K8S_POD_NAMESPACE=bench;K8S_POD_NAME=" + sandbox));
        long start = System.nanoTime();
        Process process = builder.start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(config.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        long took = System.nanoTime() - start;
        if (exit != 0) throw new IllegalStateException(command + " " + sandbox + " failed: " + out);
        return took;
    }

    private static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) throw new IllegalStateException(command + ": " + out);
    }

    private static void tryIp(String... args) {
        try {
            ip(args);
        } catch (Exception e) {
            // gone already
        }
    }
}
