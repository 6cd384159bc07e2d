package dev.weir.agent.enforce;

import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.Compiler;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.WeirProgram;
import dev.weir.crds.signing.ArtifactSigner;
import dev.weir.operator.publish.DesiredState;
import java.util.HashMap;
import java.util.Map;

/**
 * What the operator would publish for a cluster, built with the operator's own code (DesiredState) and
 * kept in memory as the agent's source: the objects, signatures and names are the real ones.
 */
final class Published implements ArtifactSource {
    final Map<String, WeirNode> nodes = new HashMap<>();
    final Map<String, WeirProgram> programs = new HashMap<>();
    final Map<String, WeirMapChunk> chunks = new HashMap<>();
    CompiledCluster compiled;

    /** Publishes {@code cluster} with every pod on {@code node}, as generation {@code generation}. */
    Published publish(ClusterState cluster, String node, ArtifactSigner signer, long generation) {
        return publish(cluster, node, java.util.List.of(), signer, generation);
    }

    /** @param nodeAddresses the node's own addresses, as its Node object would give them */
    Published publish(ClusterState cluster, String node, java.util.List<String> nodeAddresses, ArtifactSigner signer, long generation) {
        var hosts = nodeAddresses.stream().map(dev.weir.compiler.cluster.Ipv4::parse).flatMap(java.util.Optional::stream).toList();
        compiled = compiled == null ? Compiler.compile(cluster, (dev.weir.compiler.compile.CompiledCluster) null, hosts) : Compiler.compile(cluster, compiled, hosts);
        var podNodes = new HashMap<PodRef, String>();
        cluster.pods().forEach(pod -> podNodes.put(new PodRef(pod.namespace(), pod.name()), node));
        DesiredState desired = DesiredState.of(compiled, podNodes,
                Map.of(node, new dev.weir.operator.cluster.ClusterView.NodeInfo(java.util.List.of(), nodeAddresses)), signer, generation, "test");
        desired.nodes().forEach(n -> nodes.put(n.getMetadata().getName(), n));
        desired.programs().forEach(p -> programs.put(p.getMetadata().getName(), p));
        desired.chunks().forEach(c -> chunks.put(c.getMetadata().getName(), c));
        return this;
    }

    @Override
    public WeirNode node(String name) {
        return nodes.get(name);
    }

    @Override
    public WeirProgram program(String name) {
        return programs.get(name);
    }

    @Override
    public WeirMapChunk chunk(String name) {
        return chunks.get(name);
    }
}
