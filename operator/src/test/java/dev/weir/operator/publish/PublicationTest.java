package dev.weir.operator.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import dev.weir.crds.signing.ArtifactSigner;
import dev.weir.operator.cluster.ClusterView;
import dev.weir.operator.signing.SigningKeys;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Operator passes over objects created through the API (Fabric8's mock server in CRUD mode stands in for it). */
@EnableKubernetesMockClient(crud = true)
class PublicationTest {

    KubernetesClient client;
    ArtifactSigner signer;

    @BeforeEach
    void cluster() {
        signer = SigningKeys.loadOrCreate(client, "weir-system");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        client.pods().inNamespace("shop").resource(pod("web-1", "web", "node-a", "10.244.1.10", false)).create();
        client.pods().inNamespace("shop").resource(pod("db-0", "db", "node-b", "10.244.2.20", false)).create();
        client.pods().inNamespace("shop").resource(pod("agent", "agent", "node-a", "192.168.0.5", true)).create();
        client.network().v1().networkPolicies().inNamespace("shop").resource(new NetworkPolicyBuilder()
                .withNewMetadata().withName("db").withNamespace("shop").endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("app", "db").endPodSelector()
                .addNewIngress().addNewFrom().withNewPodSelector().addToMatchLabels("app", "web").endPodSelector().endFrom().endIngress()
                .endSpec().build()).create();
    }

    static Pod pod(String name, String app, String node, String ip, boolean hostNetwork) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").addToLabels("app", app).endMetadata()
                .withNewSpec().withNodeName(node).withHostNetwork(hostNetwork).addNewContainer().withName("main").withImage("x").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).endStatus().build();
    }

    @Test
    void aPassPublishesWhatTheApiHolds() {
        ClusterView view = ClusterView.read(client);
        assertThat(view.warnings()).containsExactly("pod shop/agent left out: it uses the host network, which NetworkPolicy does not govern (its traffic is the node's)");
        Publication.Result result = new Publication(client, "weir-system", signer, "0.1.0").run(view);
        assertThat(result.generation()).isEqualTo(1);
        assertThat(client.resources(WeirNode.class).withName("node-a").get().getSpec().pods())
                .extracting(WeirNode.Pod::name).containsExactly("web-1");
        assertThat(client.resources(WeirProgram.class).list().getItems()).isNotEmpty()
                .allSatisfy(program -> signer.verifier().verify(program));
    }

    @Test
    void nodesBringTheirPodCidrsAndAddressesWhichHaveTheHostIdentity() {
        client.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName("node-c").endMetadata()
                .withNewSpec().withPodCIDR("10.244.3.0/24").withPodCIDRs("10.244.3.0/24").endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress("192.168.0.13").endAddress()
                .addNewAddress().withType("Hostname").withAddress("node-c").endAddress().endStatus().build()).create();
        Publication.Result result = new Publication(client, "weir-system", signer, "0.1.0").run(ClusterView.read(client));
        WeirNode nodeC = client.resources(WeirNode.class).withName("node-c").get();
        assertThat(nodeC.getSpec().podCIDRs()).containsExactly("10.244.3.0/24");
        assertThat(nodeC.getSpec().addresses()).containsExactly("192.168.0.13");
        assertThat(nodeC.getSpec().pods()).isEmpty(); // its agent still needs its pod CIDR
        assertThat(result.compiled().contents().entries(dev.weir.compiler.abi.WeirMaps.IPCACHE))
                .containsEntry(dev.weir.compiler.abi.WeirMaps.address(dev.weir.datapath.packet.Frames.ip("192.168.0.13")),
                        dev.weir.compiler.abi.WeirMaps.u32(dev.weir.compiler.identity.Identities.HOST));
    }

    @Test
    void aRestartedOperatorWritesNothing() {
        new Publication(client, "weir-system", signer, "0.1.0").run(ClusterView.read(client));
        Publication.Result again = new Publication(client, "weir-system", SigningKeys.loadOrCreate(client, "weir-system"), "0.1.0").run(ClusterView.read(client));
        assertThat(again.changes().total()).isZero();
        assertThat(again.generation()).isEqualTo(1);
    }

    @Test
    void aRestartAfterChurnWritesNothingNew() {
        var operator = new Publication(client, "weir-system", signer, "0.1.0");
        operator.run(ClusterView.read(client));
        // Relabel web-1: its old identity is retired and the new label set takes a fresh number, which a
        // compile from scratch would not give it.
        client.pods().inNamespace("shop").withName("web-1").edit(p -> new PodBuilder(p).editMetadata().addToLabels("app", "web-canary").endMetadata().build());
        client.network().v1().networkPolicies().inNamespace("shop").withName("db").delete();
        operator.run(ClusterView.read(client));
        Publication.Result restarted = new Publication(client, "weir-system", signer, "0.1.0").run(ClusterView.read(client));
        // It only collects what the generation before named (kept one pass for agents still loading it).
        assertThat(restarted.generation()).isEqualTo(2);
        assertThat(restarted.changes().created() + restarted.changes().replaced()).isZero();
        assertThat(new Publication(client, "weir-system", signer, "0.1.0").run(ClusterView.read(client)).changes().total()).isZero();
    }

    @Test
    void podChurnPublishesTheNextGeneration() {
        var operator = new Publication(client, "weir-system", signer, "0.1.0");
        operator.run(ClusterView.read(client));
        client.pods().inNamespace("shop").resource(pod("web-2", "web", "node-b", "10.244.2.21", false)).create();
        Publication.Result added = operator.run(ClusterView.read(client));
        assertThat(added.generation()).isEqualTo(2);
        assertThat(client.resources(WeirNode.class).withName("node-b").get().getSpec().pods())
                .extracting(WeirNode.Pod::name).containsExactly("db-0", "web-2");

        client.pods().inNamespace("shop").withName("web-1").delete();
        Publication.Result removed = operator.run(ClusterView.read(client));
        assertThat(removed.generation()).isEqualTo(3);
        assertThat(client.resources(WeirNode.class).withName("node-a").get()).isNull();
    }

    @Test
    void theGenerationOnlyGrowsEvenWhenNodesAreDeletedBehindTheOperatorsBack() {
        var operator = new Publication(client, "weir-system", signer, "0.1.0");
        operator.run(ClusterView.read(client));
        client.pods().inNamespace("shop").resource(pod("web-2", "web", "node-b", "10.244.2.21", false)).create();
        assertThat(operator.run(ClusterView.read(client)).generation()).isEqualTo(2);
        // Someone able to write Weir objects deletes every WeirNode; a restarted operator must not start
        // again at 1, which agents (holding 2) would refuse as a replay.
        client.resources(WeirNode.class).delete();
        Publication.Result restarted = new Publication(client, "weir-system", signer, "0.1.0").run(ClusterView.read(client));
        assertThat(restarted.generation()).isEqualTo(3);
        assertThat(client.resources(WeirNode.class).withName("node-b").get().getSpec().generation()).isEqualTo(3);
    }

    @Test
    void aTamperedChunkIsPutBackByTheNextPass() {
        var operator = new Publication(client, "weir-system", signer, "0.1.0");
        operator.run(ClusterView.read(client));
        var chunk = client.resources(dev.weir.crds.WeirMapChunk.class).list().getItems().getFirst();
        var spec = chunk.getSpec();
        chunk.setSpec(new dev.weir.crds.WeirMapChunk.Spec(spec.map(), spec.keySize(), spec.valueSize(), "", spec.sha256(), spec.signature()));
        client.resources(dev.weir.crds.WeirMapChunk.class).resource(chunk).update();
        // Between reads the operator trusts what it wrote; the next read (at the periodic pass) sees the change.
        assertThat(operator.run(ClusterView.read(client)).changes().total()).isZero();
        operator.forgetPublished();
        Publication.Result repaired = operator.run(ClusterView.read(client));
        assertThat(repaired.changes().replaced()).isEqualTo(1);
        signer.verifier().verify(client.resources(dev.weir.crds.WeirMapChunk.class).withName(chunk.getMetadata().getName()).get());
    }

    @Test
    void anAlteredIdentityDoesNotCountAfterARestart() {
        new Publication(client, "weir-system", signer, "0.1.0").run(ClusterView.read(client));
        var identities = client.resources(dev.weir.crds.WeirIdentity.class);
        var web = identities.list().getItems().stream()
                .filter(i -> "web".equals(i.getSpec().podLabels() == null ? null : i.getSpec().podLabels().get("app"))).findFirst().orElseThrow();
        int number = web.getSpec().number();
        // Someone rewrites web's identity to claim a label set nobody has: the signature no longer verifies.
        var spec = web.getSpec();
        web.setSpec(new dev.weir.crds.WeirIdentity.Spec(number, spec.namespace(), spec.namespaceLabels(), java.util.Map.of("app", "stolen"),
                null, spec.sha256(), spec.signature()));
        identities.resource(web).update();
        Publication.Result restarted = new Publication(client, "weir-system", signer, "0.1.0").run(ClusterView.read(client));
        // The restarted operator ignored it: had it believed the object, the number would have been taken by
        // the claimed label set and web renumbered into a new generation. It puts the signed object back.
        assertThat(restarted.compiled().identities().pods().keySet()).extracting(l -> l.podLabels().get("app")).containsExactlyInAnyOrder("web", "db");
        assertThat(restarted.compiled().identities().pods()).containsValue(number);
        assertThat(restarted.generation()).isEqualTo(1);
        assertThat(identities.list().getItems()).allSatisfy(i -> signer.verifier().verify(i))
                .noneMatch(i -> i.getSpec().podLabels() != null && "stolen".equals(i.getSpec().podLabels().get("app")));
    }
}
