package dev.weir.operator.publish;

import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.CompiledProgram;
import dev.weir.compiler.compile.NamespacePrograms;
import dev.weir.compiler.compile.PodEndpoint;
import dev.weir.compiler.identity.LabelSet;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.policy.Cidr;
import dev.weir.crds.HostInterfaces;
import dev.weir.crds.MapChunks;
import dev.weir.crds.MapLayout;
import dev.weir.crds.WeirIdentity;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import dev.weir.crds.signing.ArtifactSigner;
import dev.weir.crds.signing.Artifacts;
import dev.weir.operator.cluster.ClusterView;
import dev.weir.datapath.maps.MapSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Weir objects a compiled cluster should be published as: one WeirIdentity per identity, one signed
 * WeirProgram per distinct program, signed content-addressed WeirMapChunks of the compiled maps, and one
 * signed WeirNode per node naming the generation, the chunks of each map and its pods with their programs.
 * Pure: the same input gives equal objects, in a fixed order.
 */
public record DesiredState(List<WeirIdentity> identities, List<WeirProgram> programs, List<WeirMapChunk> chunks,
                           List<WeirNode> nodes) {


    /**
     * @param podNodes   the node each pod runs on (pods without one are not on any WeirNode yet)
     * @param generation this publication's generation, which WeirNodes and chunks carry
     */
    public static DesiredState of(CompiledCluster compiled, Map<PodRef, String> podNodes, ArtifactSigner signer,
                                  long generation, String compilerVersion) {
        return of(compiled, podNodes, Map.of(), signer, generation, compilerVersion);
    }

    /** @param nodes the cluster's nodes (every one gets a WeirNode, with or without pods) */
    public static DesiredState of(CompiledCluster compiled, Map<PodRef, String> podNodes, Map<String, ClusterView.NodeInfo> nodes,
                                  ArtifactSigner signer, long generation, String compilerVersion) {
        return new DesiredState(identities(compiled, signer), programs(compiled, signer, compilerVersion), chunks(compiled, signer), List.of())
                .atGeneration(compiled, podNodes, nodes, signer, generation);
    }

    /** The same state for another generation: only the nodes carry it, so only they are signed again. */
    public DesiredState atGeneration(CompiledCluster compiled, Map<PodRef, String> podNodes, Map<String, ClusterView.NodeInfo> nodes,
                                     ArtifactSigner signer, long generation) {
        Map<String, String> objectNames = new java.util.HashMap<>();
        programs.forEach(p -> objectNames.put(p.getSpec().programName(), p.getMetadata().getName()));
        return new DesiredState(identities, programs, chunks, nodes(compiled, podNodes, nodes, objectNames, contents(chunks), signer, generation));
    }

    private static List<WeirIdentity> identities(CompiledCluster compiled, ArtifactSigner signer) {
        var identities = new ArrayList<WeirIdentity>();
        for (Map.Entry<LabelSet, Integer> entry : compiled.identities().pods().entrySet()) {
            LabelSet labels = entry.getKey();
            String name = WeirIdentity.nameOf(entry.getValue());
            identities.add(named(new WeirIdentity(), name, Artifacts.sign(name,
                    new WeirIdentity.Spec(entry.getValue(), labels.namespace(), labels.namespaceLabels(), labels.podLabels(), null, null, null), signer)));
        }
        for (Map.Entry<Cidr, Integer> entry : compiled.identities().prefixes().entrySet()) {
            String name = WeirIdentity.nameOf(entry.getValue());
            identities.add(named(new WeirIdentity(), name, Artifacts.sign(name,
                    new WeirIdentity.Spec(entry.getValue(), null, null, null, entry.getKey().toString(), null, null), signer)));
        }
        identities.sort(Comparator.comparingInt(identity -> identity.getSpec().number()));
        return identities;
    }

    private static List<WeirProgram> programs(CompiledCluster compiled, ArtifactSigner signer, String compilerVersion) {
        var programs = new ArrayList<WeirProgram>();
        for (CompiledProgram program : compiled.programs().values()) {
            // Parts first: part 0 names them by content address, so its own address covers theirs.
            var partNames = new ArrayList<String>();
            for (CompiledProgram.Part part : program.parts().subList(1, program.parts().size())) {
                WeirProgram published = program(program, part, List.of(), signer, compilerVersion);
                partNames.add(published.getMetadata().getName());
                programs.add(published);
            }
            programs.add(program(program, program.entry(), partNames, signer, compilerVersion));
        }
        programs.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        return programs;
    }

    private static WeirProgram program(CompiledProgram program, CompiledProgram.Part part, List<String> parts, ArtifactSigner signer,
                                       String compilerVersion) {
        List<MapLayout> maps = part.spec().maps().stream().map(DesiredState::layout).toList();
        var spec = Artifacts.sign(new WeirProgram.Spec(part.spec().name(), direction(program), part.code().instructions().size(),
                Base64.getEncoder().encodeToString(part.spec().code().toByteArray()), maps, parts, compilerVersion, null, null), signer);
        return named(new WeirProgram(), Artifacts.programName(spec.sha256()), spec);
    }

    private static List<WeirMapChunk> chunks(CompiledCluster compiled, ArtifactSigner signer) {
        var chunks = new ArrayList<WeirMapChunk>();
        for (String map : WeirMaps.PUBLISHED) {
            MapSpec spec = compiled.maps().get(WeirMaps.NAMES.indexOf(map));
            for (WeirMapChunk.Spec chunk : MapChunks.split(map, spec.keySize(), spec.valueSize(), compiled.contents().entries(map))) {
                WeirMapChunk.Spec signed = Artifacts.sign(chunk, signer);
                chunks.add(named(new WeirMapChunk(), Artifacts.chunkName(map, signed.sha256()), signed));
            }
        }
        chunks.sort(Comparator.comparing(c -> c.getMetadata().getName()));
        return chunks;
    }

    /** Each published map with the names of its chunks, sorted: what a WeirNode signs. */
    private static List<WeirNode.MapContents> contents(List<WeirMapChunk> chunks) {
        var contents = new ArrayList<WeirNode.MapContents>();
        for (String map : WeirMaps.PUBLISHED) {
            contents.add(new WeirNode.MapContents(map, chunks.stream().filter(c -> c.getSpec().map().equals(map))
                    .map(c -> c.getMetadata().getName()).sorted().toList()));
        }
        return contents;
    }

    private static List<WeirNode> nodes(CompiledCluster compiled, Map<PodRef, String> podNodes,
                                        Map<String, ClusterView.NodeInfo> known, Map<String, String> objectNames,
                                        List<WeirNode.MapContents> contents, ArtifactSigner signer, long generation) {
        var byNode = new TreeMap<String, List<WeirNode.Pod>>();
        known.keySet().forEach(node -> byNode.put(node, new ArrayList<>()));
        for (PodEndpoint endpoint : compiled.endpoints().values()) {
            String node = podNodes.get(endpoint.pod());
            if (node == null || endpoint.ipv4() == null) continue; // not scheduled, or no address yet
            NamespacePrograms programs = compiled.namespace(endpoint.pod().namespace());
            byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(new WeirNode.Pod(endpoint.pod().namespace(),
                    endpoint.pod().name(), HostInterfaces.name(endpoint.pod().namespace(), endpoint.pod().name()),
                    Ipv4.text(endpoint.ipv4()), endpoint.identity(),
                    // By content address, which verification ties to the bytes, not by the 32-bit kernel name.
                    objectNames.get(programs.ingressProgram()), objectNames.get(programs.egressProgram())));
        }
        var nodes = new ArrayList<WeirNode>();
        byNode.forEach((node, pods) -> {
            pods.sort(Comparator.comparing(WeirNode.Pod::namespace).thenComparing(WeirNode.Pod::name));
            ClusterView.NodeInfo info = known.getOrDefault(node, new ClusterView.NodeInfo(List.of(), List.of()));
            nodes.add(named(new WeirNode(), node, Artifacts.sign(node,
                    new WeirNode.Spec(generation, info.podCIDRs(), info.addresses(), contents, pods, null, null), signer)));
        });
        return nodes;
    }

    private static String direction(CompiledProgram program) {
        return switch (program.direction()) {
            case INGRESS -> "Ingress";
            case EGRESS -> "Egress";
        };
    }

    private static MapLayout layout(MapSpec spec) {
        return new MapLayout(spec.name(), spec.type().name(), spec.keySize(), spec.valueSize(), spec.maxEntries(), spec.flags());
    }

    private static <S, T extends CustomResource<S, ?>> T named(T resource, String name, S spec) {
        resource.setMetadata(new ObjectMetaBuilder().withName(name).addToLabels("app.kubernetes.io/managed-by", "weir-operator").build());
        resource.setSpec(spec);
        return resource;
    }
}
