package dev.weir.cli;

import dev.weir.agent.Agent;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** weir agent: runs the node agent (needs root: bpf, netlink, bpffs) until stopped. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run Weir's node agent: serve the CNI plugin, verify and load the node's programs, attach them to pods.")
final class AgentCommand implements Callable<Integer> {

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "This node's name (its WeirNode).")
    String node;

    @Option(names = "--namespace", defaultValue = "weir-system", paramLabel = "NS",
            description = "The operator's namespace, where its public key is published (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "A kubeconfig file; default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account.")
    Path kubeconfig;

    @Option(names = "--public-key", paramLabel = "BASE64", description = "The operator's public key, pinned (default: read from the operator's namespace).")
    String publicKey;

    @Option(names = "--netns", paramLabel = "PATH", description = "The node's network namespace (default: the agent's own).")
    Path netns;

    @Option(names = "--pins", defaultValue = "/sys/fs/bpf/weir", paramLabel = "DIR", description = "The bpffs folder (default: ${DEFAULT-VALUE}).")
    Path pins;

    @Option(names = "--state", defaultValue = "/var/lib/weir", paramLabel = "DIR", description = "IPAM state (default: ${DEFAULT-VALUE}).")
    Path state;

    @Option(names = "--socket", defaultValue = "/run/weir/cni.sock", paramLabel = "PATH", description = "The CNI socket (default: ${DEFAULT-VALUE}).")
    Path socket;

    @Option(names = "--port", defaultValue = "9964", paramLabel = "PORT", description = "/healthz, /readyz, /metrics on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--pod-cidr", paramLabel = "CIDR", description = "The node's pod range (default: from its WeirNode).")
    String podCidr;

    @Option(names = "--cni-conf-dir", paramLabel = "DIR", description = "Install the network configuration here (e.g. /etc/cni/net.d).")
    Path cniConfDir;

    @Option(names = "--cni-bin-dir", paramLabel = "DIR", description = "Install the plugin launcher here (e.g. /opt/cni/bin).")
    Path cniBinDir;

    @Option(names = "--plugin-jar", paramLabel = "FILE", description = "The CNI plugin's jar, which the launcher runs.")
    Path pluginJar;

    @Override
    public Integer call() throws Exception {
        Config config = kubeconfig == null ? new ConfigBuilder().build() : Config.fromKubeconfig(Files.readString(kubeconfig));
        var agentConfig = new Agent.Config(node, namespace, netns, pins, state, socket, port, podCidr, publicKey, cniConfDir, cniBinDir, pluginJar);
        if ((cniConfDir != null || cniBinDir != null) && pluginJar == null) {
            System.err.println("weir agent: --plugin-jar is needed to install the CNI plugin");
            return 2;
        }
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
             Agent agent = Agent.start(client, agentConfig)) {
            var stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            System.err.println("weir agent: node " + node + ", against " + config.getMasterUrl() + "; ready on http://127.0.0.1:" + agent.httpPort() + "/readyz");
            stopped.await();
        }
        return 0;
    }
}
