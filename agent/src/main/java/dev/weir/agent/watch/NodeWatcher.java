package dev.weir.agent.watch;

import dev.weir.agent.AgentMetrics;
import dev.weir.agent.enforce.ArtifactCheck;
import dev.weir.agent.enforce.ArtifactSource;
import dev.weir.agent.enforce.NodeDatapath;
import dev.weir.agent.enforce.VerifiedNode;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import dev.weir.crds.signing.ArtifactVerifier;
import dev.weir.crds.signing.Ed25519Keys;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's control loop: informers on this node's WeirNode, on WeirPrograms and WeirMapChunks and on the
 * operator's public key; every change schedules one pass (bursts coalesce) that checks the node's state
 * and applies it, then reports in the WeirNode's status. A refused program is reported as a Warning Event
 * on the WeirNode, in the metrics and the log; the pods naming it keep what they run.
 */
public final class NodeWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeWatcher.class.getName());
    public static final String PUBLIC_KEY_CONFIG_MAP = "weir-public-key", PUBLIC_KEY = "ed25519.pub";

    private final KubernetesClient client;
    private final String node;
    private final String operatorNamespace;
    private final String pinnedKey;
    private final NodeDatapath datapath;
    private final AgentMetrics metrics;
    private final Consumer<VerifiedNode> onApplied;
    private final java.util.concurrent.ScheduledExecutorService loop =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("weir-agent-loop").factory());
    /** The next retry's delay after a pass that could not finish (doubling to a minute); 0 after success. */
    private long retryMillis;
    private final Path generationFile;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();
    private SharedIndexInformer<WeirNode> nodes;
    private SharedIndexInformer<WeirProgram> programs;
    private SharedIndexInformer<WeirMapChunk> chunks;
    private SharedIndexInformer<ConfigMap> keys;
    private volatile String problem = "no state from the operator applied yet";

    /**
     * @param pinnedKey the operator's public key (base64 X.509) when configured on the node; null to read it
     *                  from the ConfigMap {@value #PUBLIC_KEY_CONFIG_MAP} of the operator's namespace
     * @param onApplied told of each state applied (the CNI service takes the node's pod CIDR from it)
     */
    public NodeWatcher(KubernetesClient client, String node, String operatorNamespace, String pinnedKey, NodeDatapath datapath,
                       AgentMetrics metrics, Consumer<VerifiedNode> onApplied) {
        this(client, node, operatorNamespace, pinnedKey, datapath, metrics, onApplied, null);
    }

    /**
     * @param generationFile where the generation applied last is kept (null: not kept), so a restarted agent
     *                       refuses older specs too (a replay after a restart)
     */
    public NodeWatcher(KubernetesClient client, String node, String operatorNamespace, String pinnedKey, NodeDatapath datapath,
                       AgentMetrics metrics, Consumer<VerifiedNode> onApplied, Path generationFile) {
        this.generationFile = generationFile;
        this.client = client;
        this.node = node;
        this.operatorNamespace = operatorNamespace;
        this.pinnedKey = pinnedKey;
        this.datapath = datapath;
        this.metrics = metrics;
        this.onApplied = onApplied;
    }

    public void start() {
        ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata object) {
                trigger();
            }

            @Override
            public void onUpdate(HasMetadata before, HasMetadata after) {
                trigger();
            }

            @Override
            public void onDelete(HasMetadata object, boolean unknownFinalState) {
                trigger();
            }
        };
        // Informers call back as soon as they list: every one is assigned before any pass can run.
        synchronized (this) {
            if (pinnedKey == null) keys = watch(client.configMaps().inNamespace(operatorNamespace).inform(cast(handler)));
            programs = watch(client.resources(WeirProgram.class).inform(cast(handler)));
            chunks = watch(client.resources(WeirMapChunk.class).inform(cast(handler)));
            nodes = watch(client.resources(WeirNode.class).inform(cast(handler)));
        }
        trigger();
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> ResourceEventHandler<T> cast(ResourceEventHandler<HasMetadata> handler) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) handler;
    }

    private <T extends HasMetadata> SharedIndexInformer<T> watch(SharedIndexInformer<T> informer) {
        informers.add(informer);
        return informer;
    }

    /** Schedules a pass; one pending pass covers every change before it starts. */
    public void trigger() {
        if (loop.isShutdown()) return; // an informer's last callback, or a retry, after close
        if (pending.compareAndSet(false, true)) {
            try {
                loop.execute(() -> {
                    pending.set(false);
                    pass();
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                pending.set(false);
            }
        }
    }

    /** Null once the node runs a verified state, else why not. */
    public String notReadyBecause() {
        return datapath.generation() > 0 ? null : problem;
    }

    private synchronized void pass() {
        try {
            ArtifactVerifier verifier = verifier();
            if (verifier == null) {
                report(null, "the operator's public key (ConfigMap " + operatorNamespace + "/" + PUBLIC_KEY_CONFIG_MAP + ") is not there yet");
                return;
            }
            WeirNode current = nodes.getStore().getByKey(node);
            String sha256 = current == null || current.getSpec() == null ? null : current.getSpec().sha256();
            if (sha256 != null && sha256.equals(lastApplied)) return; // what runs is this spec, complete
            VerifiedNode verified = new ArtifactCheck(verifier).check(node, source(), Math.max(datapath.generation(), storedGeneration()));
            NodeDatapath.Applied applied = datapath.apply(verified);
            storeGeneration(applied.generation());
            if (applied.refused().isEmpty()) retryMillis = 0;
            else retryLater(); // a program refused may be put right by the operator; look again
            lastApplied = applied.refused().isEmpty() ? sha256 : null; // refused programs may be put right
            metrics.applies.increment();
            metrics.generation.set(applied.generation());
            metrics.programsLoaded.set(datapath.programsLoaded());
            metrics.endpointsEnforced.set(applied.endpointsEnforced());
            metrics.endpointsDenied.set(applied.endpointsDenied());
            applied.refused().forEach(this::refused);
            onApplied.accept(verified);
            problem = null;
            report(applied, applied.refused().isEmpty() ? "running generation " + applied.generation()
                    : "running generation " + applied.generation() + "; " + applied.refused().size() + " program(s) refused, see Events");
        } catch (ArtifactCheck.NotUsable e) {
            LOG.info("not applying: " + e.getMessage());
            if (datapath.generation() == 0) problem = e.getMessage();
            report(null, "not applied: " + e.getMessage());
            retryLater();
        } catch (RuntimeException e) {
            metrics.applyFailures.increment();
            LOG.log(Level.WARNING, "applying the node's state failed; the previous state stays", e);
            if (datapath.generation() == 0) problem = "apply failed: " + e.getMessage();
            report(null, "apply failed: " + e.getMessage());
            retryLater();
        }
    }

    /** Informers only call on changes: a pass that could not finish is tried again, backing off. */
    private void retryLater() {
        retryMillis = retryMillis == 0 ? 1000 : Math.min(retryMillis * 2, 60_000);
        loop.schedule(this::trigger, retryMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private long storedGeneration() {
        if (generationFile == null || !java.nio.file.Files.exists(generationFile)) return 0;
        try {
            return Long.parseLong(java.nio.file.Files.readString(generationFile).strip());
        } catch (java.io.IOException | NumberFormatException e) {
            LOG.warning("cannot read " + generationFile + ": " + e.getMessage());
            return 0;
        }
    }

    private void storeGeneration(long generation) {
        if (generationFile == null || generation <= storedGeneration()) return;
        try {
            Path temporary = generationFile.resolveSibling(generationFile.getFileName() + ".new");
            java.nio.file.Files.writeString(temporary, Long.toString(generation));
            java.nio.file.Files.move(temporary, generationFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            LOG.warning("cannot keep the generation in " + generationFile + ": " + e.getMessage());
        }
    }

    /** The spec hash of the state applied completely, so other objects' events cost nothing. */
    private String lastApplied;

    private ArtifactVerifier verifier() {
        String key = pinnedKey;
        if (key == null) {
            ConfigMap map = keys.getStore().getByKey(operatorNamespace + "/" + PUBLIC_KEY_CONFIG_MAP);
            key = map == null || map.getData() == null ? null : map.getData().get(PUBLIC_KEY);
        }
        return key == null ? null : new ArtifactVerifier(Ed25519Keys.publicKey(key));
    }

    private ArtifactSource source() {
        return new ArtifactSource() {
            @Override
            public WeirNode node(String name) {
                return nodes.getStore().getByKey(name);
            }

            @Override
            public WeirProgram program(String name) {
                return programs.getStore().getByKey(name);
            }

            @Override
            public WeirMapChunk chunk(String name) {
                return chunks.getStore().getByKey(name);
            }
        };
    }

    private void refused(String program, String why) {
        if (reported.size() > 10_000) reported.clear(); // reported again at worst
        if (!reported.add(program + why)) return;
        metrics.artifactsRefused.increment();
        LOG.warning("program " + program + " refused: " + why);
        try {
            client.v1().events().inNamespace("default").resource(new EventBuilder()
                    .withNewMetadata().withGenerateName("weirnode-" + node + "-").endMetadata()
                    .withNewInvolvedObject().withApiVersion("weir.dev/v1alpha1").withKind("WeirNode").withName(node).endInvolvedObject()
                    .withType("Warning").withReason("ProgramRefused").withMessage(program + ": " + truncate(why))
                    .withNewSource().withComponent("weir-agent").withHost(node).endSource()
                    .withFirstTimestamp(Instant.now().toString()).withLastTimestamp(Instant.now().toString()).withCount(1)
                    .build()).create();
        } catch (RuntimeException e) {
            LOG.warning("cannot record an Event for the refused program " + program + ": " + e.getMessage());
        }
    }

    private void report(NodeDatapath.Applied applied, String message) {
        try {
            WeirNode current = nodes == null ? null : nodes.getStore().getByKey(node);
            if (current == null) return;
            WeirNode copy = new WeirNode();
            copy.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(node).build());
            copy.setSpec(current.getSpec());
            copy.setStatus(new WeirNode.Status(datapath.generation(), applied == null ? 0 : applied.endpointsEnforced(), truncate(message)));
            if (copy.getStatus().equals(current.getStatus())) return;
            client.resources(WeirNode.class).resource(copy).updateStatus();
        } catch (RuntimeException e) {
            LOG.fine(() -> "status not written: " + e.getMessage());
        }
    }

    private static String truncate(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 1000) + "...";
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        loop.shutdownNow();
    }
}
