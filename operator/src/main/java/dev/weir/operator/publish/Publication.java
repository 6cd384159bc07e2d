package dev.weir.operator.publish;

import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.compile.Numbering;
import dev.weir.compiler.policy.PolicyProblem;
import dev.weir.crds.WeirMapChunk;
import dev.weir.crds.WeirNode;
import dev.weir.crds.signing.ArtifactSigner;
import dev.weir.operator.cluster.ClusterView;
import dev.weir.operator.numbering.NumberingStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.TreeSet;

/**
 * One pass of the operator: compile the cluster (keeping the numbering of the previous pass) and publish it.
 * A pass whose maps and nodes equal what is published reuses the current generation, so it writes nothing
 * (a restart of the operator changes nothing); otherwise it publishes the next generation.
 */
public final class Publication {

    /** What a pass did. */
    public record Result(long generation, Publisher.Changes changes, List<PolicyProblem> problems, CompiledCluster compiled,
                         long compileNanos) {}

    private final KubernetesClient client;
    private final ArtifactSigner signer;
    private final String compilerVersion;
    private final NumberingStore numberings;
    private Numbering previous;

    /** @param namespace the operator's namespace, where the numbering is kept */
    public Publication(KubernetesClient client, String namespace, ArtifactSigner signer, String compilerVersion) {
        this.client = client;
        this.signer = signer;
        this.compilerVersion = compilerVersion;
        this.numberings = new NumberingStore(client, namespace);
    }

    public Result run(ClusterView view) {
        return run(view, List.of());
    }

    /**
     * @param extraNodeAddresses node addresses (host notation) given the host identity besides those of the
     *                           cluster's Node objects
     */
    public Result run(ClusterView view, List<Integer> extraNodeAddresses) {
        var nodeAddresses = new TreeSet<>(extraNodeAddresses);
        view.nodes().values().forEach(node -> node.addresses().forEach(a -> Ipv4.parse(a).ifPresent(nodeAddresses::add)));
        if (previous == null) {
            previous = numberings.load(); // a (re)start continues the numbering the published objects use
        }
        long start = System.nanoTime();
        CompiledCluster compiled = Compiler.compile(view.cluster(), previous, List.copyOf(nodeAddresses));
        long compileNanos = System.nanoTime() - start;
        numberings.save(compiled.numbering()); // before publishing: objects never use numbers not kept
        previous = compiled.numbering();       // even if publishing fails: these numbers may be live already
        Published existing = Published.read(client);
        long current = existing.generation();
        long generation = Math.max(current, 1);
        DesiredState desired = DesiredState.of(compiled, view.podNodes(), view.nodes(), signer, generation, compilerVersion);
        if (current == 0 || !published(desired, current, existing)) {
            generation = current + 1;
            desired = desired.atGeneration(compiled, view.podNodes(), view.nodes(), signer, generation);
        }
        Publisher.Changes changes = new Publisher(client).publish(desired, generation, existing);
        return new Result(generation, changes, compiled.problems(), compiled, compileNanos);
    }

    /** Whether the chunks and nodes of {@code desired} (built for {@code generation}) are exactly what the API holds. */
    private static boolean published(DesiredState desired, long generation, Published existing) {
        long held = existing.chunks().values().stream().filter(c -> c.getSpec() != null && c.getSpec().generation() == generation).count();
        if (held != desired.chunks().size() || existing.nodes().size() != desired.nodes().size()) return false;
        for (WeirMapChunk chunk : desired.chunks()) {
            WeirMapChunk current = existing.chunks().get(chunk.getMetadata().getName());
            if (current == null || !chunk.getSpec().equals(current.getSpec())) return false;
        }
        for (WeirNode node : desired.nodes()) {
            WeirNode current = existing.nodes().get(node.getMetadata().getName());
            if (current == null || !node.getSpec().equals(current.getSpec())) return false;
        }
        return true;
    }
}
