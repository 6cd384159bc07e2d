package dev.weir.compiler.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.netpol.UpstreamModel;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.policy.PolicyProblem;
import dev.weir.compiler.property.RandomClusters;
import dev.weir.compiler.simulate.Datapath;
import dev.weir.compiler.simulate.Simulator;
import dev.weir.compiler.simulate.Target;
import dev.weir.datapath.packet.Frames;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CompilerTest {

    /** Everything the datapath receives, as comparable text: programs by name (hex bytecode) and map entries. */
    static Map<String, String> output(CompiledCluster compiled) {
        var out = new TreeMap<String, String>();
        compiled.programs().forEach((name, program) -> out.put("program " + name, program.entry().spec().code().toHex()));
        for (String map : WeirMaps.NAMES) {
            out.put("map " + map, compiled.contents().entries(map).entrySet().stream()
                    .map(e -> java.util.HexFormat.of().formatHex(e.getKey()) + "=" + java.util.HexFormat.of().formatHex(e.getValue()))
                    .collect(Collectors.joining(",")));
        }
        out.put("specs", compiled.maps().toString());
        return out;
    }

    @Test
    void theSameInputCompilesToTheSameBytesWhateverItsOrder() {
        for (long seed = 0; seed < 20; seed++) {
            ClusterState cluster = new RandomClusters(seed).cluster();
            var builder = ClusterState.builder();
            cluster.namespaces().reversed().stream().filter(ns -> !cluster.implicitNamespaces().contains(ns.name())).forEach(builder::namespace);
            cluster.pods().reversed().forEach(builder::pod);
            cluster.policies().reversed().forEach(builder::policy);
            ClusterState shuffled = builder.build();
            assertThat(output(Compiler.compile(cluster))).isEqualTo(output(Compiler.compile(cluster)));
            assertThat(output(Compiler.compile(shuffled))).as("seed %d", seed).isEqualTo(output(Compiler.compile(cluster)));
        }
    }

    @Test
    void podChurnChangesMapEntriesNotPrograms() {
        ClusterState cluster = new RandomClusters(7).cluster();
        CompiledCluster before = Compiler.compile(cluster);
        ClusterPod first = cluster.pods().getFirst();
        ClusterState churned = cluster.toBuilder()
                .pod(new ClusterPod(first.namespace(), "newcomer", Map.of("app", "brand-new"), "10.0.9.9", List.of()))
                .build()
                .withPodLabels(first.ref(), Map.of("app", "relabelled"));
        CompiledCluster after = Compiler.compile(churned, before);
        assertThat(after.programs().keySet()).isEqualTo(before.programs().keySet());
        assertThat(after.contents().entries(WeirMaps.IPCACHE)).containsKey(WeirMaps.address(Frames.ip("10.0.9.9")));
        // Identities of untouched pods keep their numbers.
        before.endpoints().forEach((pod, endpoint) -> {
            if (!pod.equals(first.ref())) {
                assertThat(after.endpoint(pod).orElseThrow().identity()).isEqualTo(endpoint.identity());
            }
        });
        assertThat(after.endpoint(first.ref()).orElseThrow().identity()).isNotEqualTo(before.endpoint(first.ref()).orElseThrow().identity());
    }

    @Test
    void aPolicyChangeRegeneratesOnlyItsNamespacesPrograms() {
        ClusterState cluster = UpstreamModel.cluster().withPolicies(List.of(
                denyIngress("x", "deny-x"), denyIngress("y", "deny-y")));
        CompiledCluster before = Compiler.compile(cluster);
        CompiledCluster after = Compiler.compile(cluster.withPolicy(denyIngress("x", "deny-x-too")), before);
        assertThat(after.namespace("y")).isEqualTo(before.namespace("y"));
        assertThat(after.namespace("z")).isEqualTo(before.namespace("z"));
        assertThat(after.namespace("x").ingressProgram()).isNotEqualTo(before.namespace("x").ingressProgram());
        assertThat(after.namespace("x").egressProgram()).isEqualTo(before.namespace("x").egressProgram());
    }

    @Test
    void namespacesWithoutPoliciesShareTheirPrograms() {
        CompiledCluster compiled = Compiler.compile(UpstreamModel.cluster().withPolicies(List.of(denyIngress("x", "deny-x"))));
        assertThat(compiled.namespace("y")).isEqualTo(new NamespacePrograms("y", compiled.namespace("z").ingressProgram(),
                compiled.namespace("z").egressProgram(), List.of(), List.of()));
        assertThat(compiled.namespace("x").ingressPolicies()).containsExactly("x/deny-x");
        assertThat(compiled.namespace("x").ingressProgram()).isNotEqualTo(compiled.namespace("y").ingressProgram());
        // y and z share two programs; x has its own ingress program and shares the egress one.
        assertThat(compiled.programs()).hasSize(3);
    }

    @Test
    void anInvalidRuleIsReportedAndAllowsNothingWhileItsPolicyStillIsolates() {
        // 192.168.001.0/24: the API server's lenient parser admits it; Weir refuses the ambiguous spelling.
        NetworkPolicy lenient = new NetworkPolicyBuilder(denyIngress("x", "bad")).editSpec()
                .addNewIngress().addNewFrom().withNewIpBlock().withCidr("192.168.001.0/24").endIpBlock().endFrom().endIngress()
                .addNewIngress().addNewPort().withProtocol("TCP").withNewPort(81).endPort().endIngress()
                .endSpec().build();
        ClusterState cluster = UpstreamModel.cluster().withPolicies(List.of(lenient, denyIngress("y", "good")));
        CompiledCluster compiled = Compiler.compile(cluster);
        assertThat(compiled.problems()).extracting(PolicyProblem::policy, PolicyProblem::field)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("x/bad", "spec.ingress[0].from[0].ipBlock.cidr"));
        assertThat(compiled.warnings()).contains("NetworkPolicy x/bad: its refused rules allow nothing; it still isolates the pods it selects");
        assertThat(compiled.namespace("x").ingressPolicies()).containsExactly("x/bad");
        assertThat(compiled.namespace("y").ingressPolicies()).containsExactly("y/good");
        try (var simulator = new Simulator(compiled, Datapath.interpreter(compiled))) {
            Target a = Target.pod(new PodRef("x", "a"));
            assertThat(simulator.connect(Target.address(Frames.ip("192.168.1.5")), a, 80, Protocol.TCP).allowed()).isFalse();
            assertThat(simulator.connect(Target.address(Frames.ip("192.168.1.5")), a, 81, Protocol.TCP).allowed()).isTrue();
        }
    }

    @Test
    void aPolicyWhosePolicyTypesAreUnclearIsolatesBothWaysAndAllowsNothing() {
        NetworkPolicy invalid = new NetworkPolicyBuilder(denyIngress("x", "bad")).editSpec().withPolicyTypes("Sideways").endSpec().build();
        CompiledCluster compiled = Compiler.compile(UpstreamModel.cluster().withPolicies(List.of(invalid)));
        assertThat(compiled.problems()).extracting(Object::toString).containsExactly(
                "NetworkPolicy x/bad: spec.policyTypes[0]: Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\"");
        assertThat(compiled.warnings()).containsExactly("NetworkPolicy x/bad: its policyTypes are refused: it isolates the"
                + " pods it selects in both directions and allows them nothing");
        assertThat(compiled.namespace("x").ingressPolicies()).containsExactly("x/bad");
        assertThat(compiled.namespace("x").egressPolicies()).containsExactly("x/bad");
    }

    @Test
    void ipv6PeersAndPodAddressesAreNamedInWarnings() {
        NetworkPolicy v6 = new NetworkPolicyBuilder(denyIngress("x", "v6")).editSpec()
                .addNewIngress().addNewFrom().withNewIpBlock().withCidr("2001:db8::/64").endIpBlock().endFrom().endIngress()
                .endSpec().build();
        ClusterState cluster = UpstreamModel.cluster().withPolicies(List.of(v6)).toBuilder()
                .pod(new ClusterPod("x", "six", Map.of(), "2001:db8::1", List.of())).build();
        CompiledCluster compiled = Compiler.compile(cluster);
        assertThat(compiled.warnings()).containsExactly(
                "NetworkPolicy x/v6: spec.ingress[0].from[0].ipBlock.cidr: 2001:db8::/64 is IPv6; Weir's datapath is IPv4-only, so this peer matches no traffic",
                "pod x/six: status.podIP 2001:db8::1 is IPv6; Weir's datapath is IPv4-only, so the pod gets no address entry");
        assertThat(compiled.endpoint(new PodRef("x", "six")).orElseThrow().ipv4()).isNull();
    }

    @Test
    void anAddressTwoPodsClaimIsNobodysWhateverTheOrder() {
        var old = new ClusterPod("x", "old", Map.of("app", "old"), "10.0.9.1", List.of());
        var successor = new ClusterPod("x", "new", Map.of("app", "new"), "10.0.9.1", List.of());
        ClusterState oneWay = UpstreamModel.cluster().toBuilder().pod(old).pod(successor).build();
        ClusterState otherWay = UpstreamModel.cluster().toBuilder().pod(successor).pod(old).build();
        CompiledCluster compiled = Compiler.compile(oneWay);
        assertThat(compiled.contents().entries(WeirMaps.IPCACHE)).doesNotContainKey(WeirMaps.address(Frames.ip("10.0.9.1")));
        assertThat(compiled.warnings()).containsExactly("address 10.0.9.1 is claimed by pods [x/new, x/old]: none of them gets it until only one is left");
        assertThat(output(Compiler.compile(otherWay))).isEqualTo(output(compiled));
    }

    @Test
    void aNumberFreedByAChangeIsNotReusedInTheSameCompilation() {
        ClusterState cluster = UpstreamModel.cluster();
        CompiledCluster before = Compiler.compile(cluster);
        PodRef a = new PodRef("x", "a");
        int freed = before.endpoint(a).orElseThrow().identity();
        CompiledCluster after = Compiler.compile(cluster.withPodLabels(a, Map.of("pod", "renamed")), before);
        int taken = after.endpoint(a).orElseThrow().identity();
        assertThat(taken).isNotEqualTo(freed);
        assertThat(before.identities().pods().values()).doesNotContain(taken);
        // One generation later the number is free again.
        CompiledCluster later = Compiler.compile(cluster.withPodLabels(a, Map.of("pod", "again")), after);
        assertThat(later.endpoint(a).orElseThrow().identity()).isEqualTo(freed);
    }

    @Test
    void rowsHoldTheBitsOfTheSelectorsEachIdentityMatches() {
        CompiledCluster compiled = Compiler.compile(UpstreamModel.cluster().withPolicies(List.of(denyIngress("x", "deny-x"))));
        int subjectBit = compiled.bits().pods().values().iterator().next();
        var rows = compiled.contents().entries(WeirMaps.ROWS);
        var withBit = new ArrayList<PodRef>();
        compiled.endpoints().forEach((pod, endpoint) -> {
            byte[] row = rows.get(WeirMaps.u32(endpoint.identity()));
            if ((row[subjectBit / 8] & (1 << (subjectBit % 8))) != 0) withBit.add(pod);
        });
        assertThat(withBit).containsExactly(new PodRef("x", "a"), new PodRef("x", "b"), new PodRef("x", "c"));
        assertThat(compiled.maps().get(WeirMaps.NAMES.indexOf(WeirMaps.ROWS)).valueSize()).isEqualTo(8);
    }

    static NetworkPolicy denyIngress(String namespace, String name) {
        return new NetworkPolicyBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build();
    }
}
