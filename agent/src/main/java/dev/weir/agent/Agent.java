package dev.weir.agent;

import dev.weir.agent.cni.CniInstall;
import dev.weir.agent.cni.CniService;
import dev.weir.agent.cni.CniSocketServer;
import dev.weir.agent.enforce.NodeDatapath;
import dev.weir.agent.enforce.VerifiedNode;
import dev.weir.agent.network.Ipam;
import dev.weir.agent.network.PodNetwork;
import dev.weir.agent.watch.GenerationFile;
import dev.weir.agent.watch.NodeWatcher;
import dev.weir.observability.HttpEndpoints;
import dev.weir.observability.Probe;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The node agent: adopts what an earlier agent pinned, serves the CNI plugin on a Unix socket, installs the
 * plugin and its network configuration, watches its node's signed state and enforces it, and serves health,
 * readiness and metrics. Closing it closes descriptors only: pins keep enforcement in place.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Agent.class.getName());

    /**
     * @param nodeNetns  the node's network namespace, or null for the agent's own
     * @param podCidr    the pod range, or null to take the first of the WeirNode's pod CIDRs
     * @param publicKey  the operator's public key, or null to read it from the operator's namespace
     * @param cniConfDir where the network configuration list is written (null: not installed)
     * @param cniBinDir  where the plugin's launcher is written (null: not installed)
     * @param pluginJar  the plugin's jar, which the launcher runs
     */
    public record Config(String node, String operatorNamespace, Path nodeNetns, Path pins, Path stateDir, Path socket, int httpPort,
                         String podCidr, String publicKey, Path cniConfDir, Path cniBinDir, Path pluginJar) {}

    private final AgentMetrics metrics = new AgentMetrics();
    private final NodeDatapath datapath;
    private final NodeWatcher watcher;
    private final CniSocketServer cni;
    private final HttpEndpoints http;
    private final AtomicReference<Ipam> ipam = new AtomicReference<>();
    private final PodNetwork network;

    private Agent(KubernetesClient client, Config config) throws IOException, InterruptedException {
        Files.createDirectories(config.stateDir());
        PodNetwork network = new PodNetwork(config.nodeNetns());
        datapath = new NodeDatapath(config.pins(), network);
        this.network = network;
        if (config.podCidr() != null) useRange(new Ipam(config.stateDir().resolve("ipam.json"), config.podCidr()));
        watcher = new NodeWatcher(client, new NodeWatcher.Watched(config.node(), config.operatorNamespace(), config.publicKey()),
                datapath, metrics, verified -> podRange(config, verified), new GenerationFile(config.stateDir().resolve("generation")));
        CniService service = new CniService(ipam::get, network, datapath);
        cni = new CniSocketServer(config.socket(), service);
        metrics.readAtScrape(new AgentMetrics.OutsideCounters(datapath::attachFailures, cni::requests, cni::errors));
        metrics.endpointPackets(datapath::verdicts);
        http = new HttpEndpoints(new InetSocketAddress("127.0.0.1", config.httpPort()), Probe.PASSES, watcher::notReadyBecause,
                metrics.registry(), metrics::beforeScrape);
        if (config.cniConfDir() != null && config.cniBinDir() != null) {
            CniInstall.install(config.cniConfDir(), config.cniBinDir(), config.socket(), config.pluginJar(), true);
        }
        watcher.start();
        LOG.info("weir agent on node " + config.node() + ": CNI socket " + config.socket() + ", pins " + config.pins()
                + ", http 127.0.0.1:" + http.port());
    }

    public static Agent start(KubernetesClient client, Config config) throws IOException, InterruptedException {
        return new Agent(client, config);
    }

    private void podRange(Config config, VerifiedNode verified) {
        if (ipam.get() != null || verified.podCIDRs().isEmpty()) return;
        String cidr = verified.podCIDRs().stream().filter(c -> !c.contains(":")).findFirst().orElse(null);
        if (cidr != null) useRange(new Ipam(config.stateDir().resolve("ipam.json"), cidr));
    }

    /**
     * Takes the node's IPAM and hooks every pod it knows whose interface exists but whose hooks were not
     * adopted (their pins lost): such a pod is denied until its state is applied, never left open.
     */
    private void useRange(Ipam addresses) {
        var hooked = datapath.hooks().keySet();
        addresses.allocations().forEach((address, owner) -> {
            if (hooked.contains(owner.hostInterface())) return;
            network.hostIfindex(owner.hostInterface()).ifPresent(ifindex -> {
                LOG.warning("pod interface " + owner.hostInterface() + " had no pinned hooks: denied until its state applies");
                datapath.added(new dev.weir.agent.cni.Endpoints.LocalPod(owner.containerId(), null, null,
                        PodNetwork.existing(owner.hostInterface(), ifindex, owner.ifname(), address)));
            });
        });
        ipam.set(addresses);
    }

    public NodeDatapath datapath() {
        return datapath;
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    public int httpPort() {
        return http.port();
    }

    @Override
    public void close() {
        watcher.close();
        cni.close();
        http.close();
        datapath.close();
    }
}
