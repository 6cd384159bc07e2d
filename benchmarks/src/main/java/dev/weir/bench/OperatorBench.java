package dev.weir.bench;

import dev.weir.compiler.cluster.ClusterNamespace;
import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodPort;
import dev.weir.compiler.scale.SyntheticCluster;
import dev.weir.crds.WeirCluster;
import dev.weir.crds.WeirNode;
import dev.weir.operator.WeirOperator;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator end to end against Fabric8's mock API server in CRUD mode (a stand-in: no real API server
 * runs here, and the mock is much slower than one): a synthetic cluster applied, time until the operator
 * has published every artifact; then pods created one at a time, time until their node's WeirNode lists
 * them (p50, p99).
 * Run: java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar dev.weir.bench.OperatorBench [NAMESPACES PODS_PER_NS POLICIES_PER_NS]
 */
public final class OperatorBench {
    private static final int NODES = 20;
    /** Held so the level sticks: the mock server logs every request otherwise. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        int namespaces = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int podsPerNamespace = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int policiesPerNamespace = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        // CRUD for objects, plus canned answers (the mixed dispatcher serves both, as the test extension does).
        var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher(responses), false);
        server.init();
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule()
                        .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
                        .withIncomplete(false).endStatus().build()).always();
        try (KubernetesClient client = server.createClient()) {
            ClusterState cluster = SyntheticCluster.generate(namespaces, podsPerNamespace, policiesPerNamespace, 1);
            long applying = System.nanoTime();
            for (ClusterNamespace ns : cluster.namespaces()) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns.name()).withLabels(ns.labels()).endMetadata().build()).create();
            }
            int i = 0;
            for (ClusterPod pod : cluster.pods()) {
                client.pods().inNamespace(pod.namespace()).resource(pod(pod, "node-" + (i++ % NODES))).create();
            }
            cluster.policies().forEach(policy -> client.network().v1().networkPolicies().inNamespace(policy.getMetadata().getNamespace()).resource(policy).create());
            System.out.printf("applied %d namespaces, %d pods, %d policies to the mock API in %.1f s%n", cluster.namespaces().size(),
                    cluster.pods().size(), cluster.policies().size(), (System.nanoTime() - applying) / 1e9);

            try (var operator = new WeirOperator(client, "weir-system", "0.1.0", false)) {
                long start = System.nanoTime();
                operator.start();
                WeirCluster.Status status = awaitGeneration(client, 1);
                System.out.printf("operator start to every artifact published: %.1f s (generation %d, %d programs, %d identities)%n",
                        (System.nanoTime() - start) / 1e9, status.generation(), status.programs(), status.identities());

                var latencies = new ArrayList<Double>();
                for (int k = 0; k < 30; k++) {
                    var pod = new ClusterPod("app-" + (k % namespaces), "new-" + k, java.util.Map.of("app", "shop-" + (k % namespaces), "tier", "frontend"),
                            "10.200." + (k / 250) + "." + (k % 250 + 1), List.of(new PodPort("http", 8080, dev.weir.compiler.cluster.Protocol.TCP)));
                    String node = "node-" + (k % NODES);
                    long created = System.nanoTime();
                    client.pods().inNamespace(pod.namespace()).resource(pod(pod, node)).create();
                    client.resources(WeirNode.class).withName(node).waitUntilCondition(weirNode -> weirNode != null
                            && weirNode.getSpec().pods().stream().anyMatch(p -> p.name().equals(pod.name())), 5, TimeUnit.MINUTES);
                    latencies.add((System.nanoTime() - created) / 1e6);
                }
                Collections.sort(latencies);
                System.out.printf("pod create to its node's WeirNode updated, %d pods: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", latencies.size(),
                        latencies.get(latencies.size() / 2), latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1), latencies.getLast());
            }
        } finally {
            server.destroy();
        }
    }

    private static Pod pod(ClusterPod pod, String node) {
        var builder = new PodBuilder().withNewMetadata().withName(pod.name()).withNamespace(pod.namespace()).withLabels(pod.labels()).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("main").withImage("app");
        for (PodPort port : pod.ports()) {
            builder = builder.addNewPort().withName(port.name()).withContainerPort(port.number()).withProtocol(port.protocol().name()).endPort();
        }
        return builder.endContainer().endSpec().withNewStatus().withPhase("Running").withPodIP(pod.ip()).endStatus().build();
    }

    /** Waits (on a watch, not by polling) until the operator reports the generation published. */
    private static WeirCluster.Status awaitGeneration(KubernetesClient client, long generation) {
        return client.resources(WeirCluster.class).withName(WeirCluster.DEFAULT).waitUntilCondition(cluster -> cluster != null
                && cluster.getStatus() != null && cluster.getStatus().generation() >= generation, 30, TimeUnit.MINUTES).getStatus();
    }
}
