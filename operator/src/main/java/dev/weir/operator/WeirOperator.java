package dev.weir.operator;

import dev.weir.compiler.policy.PolicyProblem;
import dev.weir.crds.signing.ArtifactSigner;
import dev.weir.operator.cluster.ClusterView;
import dev.weir.operator.publish.Publication;
import dev.weir.operator.signing.SigningKeys;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The operator's loop: informers on namespaces, pods and NetworkPolicies mark the cluster dirty; one worker
 * thread runs a compile-and-publish pass whenever it is dirty, coalescing bursts of changes into one pass.
 * A pass that fails is logged and retried on the next change; refused policies become Events on the
 * policy, and the rest of the cluster keeps being served.
 */
public final class WeirOperator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WeirOperator.class.getName());

    private final KubernetesClient client;
    private final String namespace;
    private final String version;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "weir-operator-pass"));
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong passes = new AtomicLong();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();
    private Publication publication;
    private volatile Publication.Result last;

    /** @param namespace where the signing key Secret lives (the operator's own namespace) */
    public WeirOperator(KubernetesClient client, String namespace, String version) {
        this.client = client;
        this.namespace = namespace;
        this.version = version;
    }

    public void start() {
        ArtifactSigner signer = SigningKeys.loadOrCreate(client, namespace);
        publication = new Publication(client, namespace, signer, version);
        ResourceEventHandler<HasMetadata> changed = new ResourceEventHandler<>() {
            @Override public void onAdd(HasMetadata obj) { request(); }
            @Override public void onUpdate(HasMetadata oldObj, HasMetadata newObj) { request(); }
            @Override public void onDelete(HasMetadata obj, boolean unknownFinalState) { request(); }
        };
        informers.add(client.namespaces().inform(cast(changed)));
        informers.add(client.pods().inAnyNamespace().inform(cast(changed)));
        informers.add(client.network().v1().networkPolicies().inAnyNamespace().inform(cast(changed)));
        request();
    }

    /** Marks the cluster dirty and makes sure a pass will run. */
    public void request() {
        dirty.set(true);
        if (scheduled.compareAndSet(false, true)) {
            worker.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (dirty.getAndSet(false)) {
                pass();
            }
        } finally {
            scheduled.set(false);
            if (dirty.get() && scheduled.compareAndSet(false, true)) worker.execute(this::drain);
        }
    }

    private void pass() {
        try {
            ClusterView view = ClusterView.read(client);
            Publication.Result result = publication.run(view);
            report(result.problems());
            last = result;
            passes.incrementAndGet();
            LOG.fine(() -> "generation " + result.generation() + ": " + result.changes());
        } catch (RuntimeException e) {
            // Never stop serving: the next change (or the next pass) tries again.
            LOG.log(Level.WARNING, "compile-and-publish pass failed: " + e.getMessage(), e);
        }
    }

    /** One Event per new problem, on the policy it concerns. */
    private void report(List<PolicyProblem> problems) {
        for (PolicyProblem problem : problems) {
            if (!reported.add(problem.toString())) continue;
            String[] policy = problem.policy().split("/", 2);
            String now = Instant.now().toString();
            client.v1().events().inNamespace(policy[0]).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(policy[1] + ".weir.").withNamespace(policy[0]).endMetadata()
                    .withNewInvolvedObject().withApiVersion("networking.k8s.io/v1").withKind("NetworkPolicy")
                    .withNamespace(policy[0]).withName(policy[1]).endInvolvedObject()
                    .withType("Warning").withReason("InvalidPolicy")
                    .withMessage(problem.field() + ": " + problem.detail())
                    .withReportingComponent("weir-operator").withSource(new io.fabric8.kubernetes.api.model.EventSource("weir-operator", null))
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
        }
    }

    /** The last successful pass, or null before the first. */
    public Publication.Result lastPass() {
        return last;
    }

    public long passes() {
        return passes.get();
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> ResourceEventHandler<T> cast(ResourceEventHandler<HasMetadata> handler) {
        return (ResourceEventHandler<T>) handler;
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        worker.shutdownNow();
    }
}
