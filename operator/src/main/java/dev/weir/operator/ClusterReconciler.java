package dev.weir.operator;

import dev.weir.crds.WeirCluster;
import dev.weir.operator.cluster.ClusterView;
import dev.weir.operator.publish.Publication;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Reconciles the cluster's one {@link WeirCluster}: any change to a namespace, pod, NetworkPolicy, node, Service
 * or EndpointSlice maps to
 * it, so JOSDK runs one compile-and-publish pass at a time and coalesces bursts. The status, patched on its
 * own, says what the pass did; a failed pass leaves the published state as it was and says why.
 */
// The periodic pass puts back Weir objects altered or deleted behind the operator's back (it does not
// watch its own kinds, whose every write would otherwise cost a pass).
@ControllerConfiguration(name = "weir-cluster",
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = java.util.concurrent.TimeUnit.MINUTES))
public final class ClusterReconciler implements Reconciler<WeirCluster> {
    private static final Logger LOG = Logger.getLogger(ClusterReconciler.class.getName());

    private final KubernetesClient client;
    private final Publication publication;
    private final PolicyEvents events;
    private final ServiceEvents serviceEvents;
    private final OperatorMetrics metrics;
    private final List<Integer> extraNodeAddresses;

    /** @param extraNodeAddresses addresses given the host identity besides the Nodes' (operator configuration) */
    ClusterReconciler(KubernetesClient client, Publication publication, OperatorMetrics metrics, List<Integer> extraNodeAddresses) {
        this.client = client;
        this.publication = publication;
        this.events = new PolicyEvents(client);
        this.serviceEvents = new ServiceEvents(client);
        this.metrics = metrics;
        this.extraNodeAddresses = List.copyOf(extraNodeAddresses);
    }

    @Override
    public List<EventSource<?, WeirCluster>> prepareEventSources(EventSourceContext<WeirCluster> context) {
        var sources = new ArrayList<EventSource<?, WeirCluster>>();
        for (Class<? extends HasMetadata> kind : List.of(Namespace.class, Pod.class, NetworkPolicy.class, Node.class,
                Service.class, EndpointSlice.class)) {
            sources.add(source(kind, context));
        }
        return sources;
    }

    private static <R extends HasMetadata> InformerEventSource<R, WeirCluster> source(Class<R> kind, EventSourceContext<WeirCluster> context) {
        var configuration = InformerEventSourceConfiguration.from(kind, WeirCluster.class)
                .withName(kind.getSimpleName())
                .withSecondaryToPrimaryMapper(changed -> Set.of(new ResourceID(WeirCluster.DEFAULT)))
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    @Override
    public UpdateControl<WeirCluster> reconcile(WeirCluster cluster, Context<WeirCluster> context) {
        if (!WeirCluster.DEFAULT.equals(cluster.getMetadata().getName())) {
            // Only "default" gathers the cluster's objects; another would compile an empty cluster and
            // unpublish everything.
            cluster.setStatus(new WeirCluster.Status(0, 0, 0, 0, "ignored: Weir reconciles only WeirCluster " + WeirCluster.DEFAULT));
            return UpdateControl.patchStatus(cluster);
        }
        long start = System.nanoTime();
        // From the informers' caches: every object watched maps to this one primary.
        ClusterView view = ClusterView.of(context.getSecondaryResources(Namespace.class),
                context.getSecondaryResources(Pod.class), context.getSecondaryResources(NetworkPolicy.class),
                context.getSecondaryResources(Node.class), context.getSecondaryResources(Service.class),
                context.getSecondaryResources(EndpointSlice.class));
        if (view.cluster().namespaces().isEmpty()) {
            // Every real cluster has namespaces: an empty view is a cache not yet filled, never a reason to
            // unpublish everything.
            throw new IllegalStateException("no namespaces seen yet; not publishing an empty cluster");
        }
        serviceEvents.report(view.refused()); // known before compiling, and worth saying even if the pass fails
        Publication.Result result = publication.run(view, extraNodeAddresses);
        events.report(result.problems());
        long took = System.nanoTime() - start;
        metrics.passes.increment();
        metrics.passSeconds.record(took, TimeUnit.NANOSECONDS);
        metrics.lastPassNanos.set(took);
        metrics.compileSeconds.record(result.compileNanos(), TimeUnit.NANOSECONDS);
        metrics.objectsWritten.increment(result.changes().total());
        metrics.generation.set(result.generation());
        metrics.programs.set(result.compiled().programs().size());
        metrics.identities.set(result.compiled().identities().pods().size() + result.compiled().identities().prefixes().size());
        metrics.refusedPolicies.set(result.problems().stream().map(p -> p.policy()).distinct().count());
        LOG.fine(() -> "generation " + result.generation() + ": " + result.changes());
        var refused = result.problems().stream().map(p -> p.policy()).distinct().count();
        cluster.setStatus(new WeirCluster.Status(result.generation(), result.compiled().programs().size(),
                result.compiled().identities().pods().size() + result.compiled().identities().prefixes().size(), (int) refused,
                "published generation " + result.generation() + " (" + result.changes().total() + " objects written)"));
        return UpdateControl.patchStatus(cluster);
    }

    @Override
    public ErrorStatusUpdateControl<WeirCluster> updateErrorStatus(WeirCluster cluster, Context<WeirCluster> context, Exception e) {
        metrics.failedPasses.increment();
        WeirCluster.Status before = cluster.getStatus();
        cluster.setStatus(new WeirCluster.Status(before == null ? 0 : before.generation(), before == null ? 0 : before.programs(),
                before == null ? 0 : before.identities(), before == null ? 0 : before.refusedPolicies(), "pass failed: " + e.getMessage()));
        return ErrorStatusUpdateControl.patchStatus(cluster);
    }
}
