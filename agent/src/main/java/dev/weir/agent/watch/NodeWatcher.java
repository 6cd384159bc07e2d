package dev.weir.agent.watch;

import dev.weir.agent.AgentMetrics;
import dev.weir.agent.enforce.ArtifactCheck;
import dev.weir.agent.enforce.NodeDatapath;
import dev.weir.agent.enforce.VerifiedNode;
import dev.weir.crds.WeirNode;
import dev.weir.crds.signing.ArtifactVerifier;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's control loop: every change {@link NodeInformers} see schedules one pass on the {@link PassLoop};
 * a pass checks the node's signed state ({@link ArtifactCheck}), applies it ({@link NodeDatapath}), keeps the
 * generation ({@link GenerationFile}) and reports in the WeirNode's status ({@link NodeStatus}). A refused
 * program is a Warning Event on the WeirNode ({@link NodeEvents}), a metric and a log line; the pods naming
 * it keep what they run.
 */
public final class NodeWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeWatcher.class.getName());
    public static final String PUBLIC_KEY_CONFIG_MAP = "weir-public-key", PUBLIC_KEY = "ed25519.pub";

    /**
     * Whose state the agent watches.
     *
     * @param pinnedKey the operator's public key (base64 X.509) when configured on the node; null to read it
     *                  from the ConfigMap {@value #PUBLIC_KEY_CONFIG_MAP} of the operator's namespace
     */
    public record Watched(String node, String operatorNamespace, String pinnedKey) {}

    private final KubernetesClient client;
    private final Watched watched;
    private final NodeDatapath datapath;
    private final AgentMetrics metrics;
    private final Consumer<VerifiedNode> onApplied;
    private final GenerationFile generationFile;
    private final PassLoop loop = new PassLoop("weir-agent-loop", this::pass);
    private final NodeEvents events;
    private final NodeStatus status;
    private volatile NodeInformers cluster;
    /** The spec hash of the state applied completely, so other objects' events cost nothing. */
    private String lastApplied;
    private volatile String problem = "no state from the operator applied yet";

    /** @param onApplied told of each state applied (the CNI service takes the node's pod CIDR from it) */
    public NodeWatcher(KubernetesClient client, Watched watched, NodeDatapath datapath, AgentMetrics metrics,
                       Consumer<VerifiedNode> onApplied, GenerationFile generationFile) {
        this.client = client;
        this.watched = watched;
        this.datapath = datapath;
        this.metrics = metrics;
        this.onApplied = onApplied;
        this.generationFile = generationFile;
        this.events = new NodeEvents(client, watched.node());
        this.status = new NodeStatus(client, watched.node());
    }

    public void start() {
        // Informers call back as soon as they list; a pass waits on this lock until every one is assigned.
        synchronized (this) {
            cluster = new NodeInformers(client, watched.operatorNamespace(), watched.pinnedKey(), loop::trigger);
        }
        loop.trigger();
    }

    /** Schedules a pass; one pending pass covers every change before it starts. */
    public void trigger() {
        loop.trigger();
    }

    /** Null once the node runs a verified state, else why not. */
    public String notReadyBecause() {
        return datapath.generation() > 0 ? null : problem;
    }

    private synchronized void pass() {
        try {
            ArtifactVerifier verifier = cluster.verifier();
            if (verifier == null) {
                report(0, "the operator's public key (ConfigMap " + watched.operatorNamespace() + "/" + PUBLIC_KEY_CONFIG_MAP
                        + ") is not there yet");
                return;
            }
            WeirNode current = cluster.node(watched.node());
            String sha256 = current == null || current.getSpec() == null ? null : current.getSpec().sha256();
            if (sha256 != null && sha256.equals(lastApplied)) return; // what runs is this spec, complete
            VerifiedNode verified = new ArtifactCheck(verifier).check(watched.node(), cluster,
                    Math.max(datapath.generation(), generationFile.read()));
            NodeDatapath.Applied applied = datapath.apply(verified);
            generationFile.keep(applied.generation());
            boolean complete = applied.refused().isEmpty();
            if (complete) loop.finished();
            else loop.retryLater(); // a refused program may be put right by the operator; look again
            lastApplied = complete ? sha256 : null;
            recordApplied(applied);
            onApplied.accept(verified);
            problem = null;
            report(applied.endpointsEnforced(), complete ? "running generation " + applied.generation()
                    : "running generation " + applied.generation() + "; " + applied.refused().size() + " program(s) refused, see Events");
        } catch (ArtifactCheck.NotUsable e) {
            LOG.info("not applying: " + e.getMessage());
            notApplied("not applied: " + e.getMessage());
        } catch (RuntimeException e) {
            metrics.applyFailures.increment();
            LOG.log(Level.WARNING, "applying the node's state failed; the previous state stays", e);
            notApplied("apply failed: " + e.getMessage());
        }
    }

    private void recordApplied(NodeDatapath.Applied applied) {
        metrics.applies.increment();
        metrics.generation.set(applied.generation());
        metrics.programsLoaded.set(datapath.programsLoaded());
        metrics.endpointsEnforced.set(applied.endpointsEnforced());
        metrics.endpointsDenied.set(applied.endpointsDenied());
        applied.refused().forEach((program, why) -> {
            if (events.programRefused(program, why)) metrics.artifactsRefused.increment();
        });
    }

    private void notApplied(String why) {
        if (datapath.generation() == 0) problem = why;
        report(0, why);
        loop.retryLater();
    }

    private void report(int endpointsEnforced, String message) {
        WeirNode current = cluster == null ? null : cluster.node(watched.node());
        status.write(current, new WeirNode.Status(datapath.generation(), endpointsEnforced, message));
    }

    @Override
    public void close() {
        NodeInformers informers = cluster;
        if (informers != null) informers.close();
        loop.close();
    }
}
