package dev.weir.operator;

import dev.weir.crds.WeirCluster;
import dev.weir.crds.signing.ArtifactSigner;
import dev.weir.observability.HttpEndpoints;
import dev.weir.observability.Probe;
import dev.weir.operator.publish.Publication;
import dev.weir.operator.signing.SigningKeys;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Weir's operator: a Java Operator SDK operator with one controller ({@link ClusterReconciler}), leader
 * election on a Lease so two replicas never both publish, and the signing key and numbering in its
 * namespace. Server-side apply is off: the status is patched the classic way (which also lets Fabric8's
 * mock server stand in for the API in tests).
 */
public final class WeirOperator implements AutoCloseable {
    public static final String LEASE = "weir-operator";

    private final KubernetesClient client;
    private final String namespace;
    private final String version;
    private final boolean exitOnLostLeadership;
    private final OperatorMetrics metrics = new OperatorMetrics();
    private Operator operator;

    /**
     * @param namespace            the operator's namespace: signing key, numbering and Lease live there
     * @param exitOnLostLeadership end the process when leadership is lost (in a pod: Kubernetes restarts it
     *                             as a follower); off where the process must outlive the operator (tests)
     */
    public WeirOperator(KubernetesClient client, String namespace, String version, boolean exitOnLostLeadership) {
        this.client = client;
        this.namespace = namespace;
        this.version = version;
        this.exitOnLostLeadership = exitOnLostLeadership;
    }

    public void start() {
        ArtifactSigner signer = SigningKeys.loadOrCreate(client, namespace);
        ensureClusterObject();
        operator = new Operator(o -> o.withKubernetesClient(client)
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                // JOSDK's reconciliation metrics, on the registry /metrics serves.
                .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(metrics.registry()).build())
                .withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE)
                        .withLeaseNamespace(namespace).withExitOnStopLeading(exitOnLostLeadership).build()));
        operator.register(new ClusterReconciler(client, new Publication(client, namespace, signer, version), metrics, List.of()));
        operator.start();
    }

    /**
     * Serves /healthz, /readyz and /metrics on every address at {@code port} (0: any free port); close it
     * with the operator.
     */
    public HttpEndpoints serveEndpoints(int port) throws InterruptedException {
        return new HttpEndpoints(new InetSocketAddress(port),
                Probe.when(() -> operator != null && operator.getRuntimeInfo().isStarted(), "not running"),
                Probe.when(() -> operator != null && operator.getRuntimeInfo().allEventSourcesAreHealthy(), "not ready: event sources not healthy"),
                metrics.registry());
    }

    public OperatorMetrics metrics() {
        return metrics;
    }

    /** The one WeirCluster the controller reconciles; created with an empty spec when absent. */
    private void ensureClusterObject() {
        var resources = client.resources(WeirCluster.class);
        if (resources.withName(WeirCluster.DEFAULT).get() != null) return;
        var cluster = new WeirCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(WeirCluster.DEFAULT).build());
        cluster.setSpec(new WeirCluster.Spec());
        try {
            resources.resource(cluster).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) throw e; // another replica created it
        }
    }

    @Override
    public void close() {
        if (operator != null) operator.stop();
    }
}
