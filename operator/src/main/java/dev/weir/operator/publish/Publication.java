package dev.weir.operator.publish;

import dev.weir.compiler.cluster.Ipv4;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.compile.Numbering;
import dev.weir.compiler.policy.PolicyProblem;
import dev.weir.crds.WeirNode;
import dev.weir.crds.signing.ArtifactSigner;
import dev.weir.operator.cluster.ClusterView;
import dev.weir.operator.numbering.NumberingStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.TreeSet;

/**
 * One pass of the operator: compile the cluster (keeping the numbering of the previous pass) and publish it.
 * A pass whose nodes (and the chunks they name) equal what is published reuses the current generation, so it
 * writes nothing (a restart of the operator changes nothing); otherwise it publishes the next generation,
 * whose counter lives in the operator's namespace.
 */
public final class Publication {

    /** What a pass did. */
    public record Result(long generation, Publisher.Changes changes, List<PolicyProblem> problems, CompiledCluster compiled,
                         long compileNanos) {}

    private final KubernetesClient client;
    private final ArtifactSigner signer;
    private final String compilerVersion;
    private final NumberingStore numberings;
    private final GenerationCounter generations;
    private Numbering previous;
    /** What the API holds, as this leader last read and wrote it: passes between reads need no lists. */
    private Published published;
    private long publishedReadAt;

    /** @param namespace the operator's namespace, where the numbering is kept */
    public Publication(KubernetesClient client, String namespace, ArtifactSigner signer, String compilerVersion) {
        this.client = client;
        this.signer = signer;
        this.compilerVersion = compilerVersion;
        this.numberings = new NumberingStore(client, namespace, signer.verifier());
        this.generations = new GenerationCounter(client, namespace);
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
        Published existing = published();
        long current = generations.current(existing);
        long generation = Math.max(current, 1);
        DesiredState desired = DesiredState.of(compiled, view.podNodes(), view.nodes(), signer, generation, compilerVersion);
        if (current == 0 || !published(desired, existing)) {
            generation = current + 1;
            generations.advance(generation);
            desired = desired.atGeneration(compiled, view.podNodes(), view.nodes(), signer, generation);
        }
        Publisher.Changes changes;
        try {
            changes = new Publisher(client).publish(desired, existing);
        } catch (RuntimeException e) {
            published = null; // unsure what was written: read again next pass
            throw e;
        }
        return new Result(generation, changes, compiled.problems(), compiled, compileNanos);
    }

    /**
     * The API's Weir objects: read afresh at the first pass and every {@link #REREAD} (the operator's
     * periodic pass, which so puts back what others altered), kept up to date by the Publisher between.
     */
    private Published published() {
        if (published == null || System.nanoTime() - publishedReadAt > REREAD.toNanos()) {
            published = Published.read(client);
            publishedReadAt = System.nanoTime();
        }
        return published;
    }

    /** How long the cached view of Weir's objects is trusted. */
    static final java.time.Duration REREAD = java.time.Duration.ofMinutes(4);

    /** Forgets what was read, so that the next pass reads Weir's objects from the API. */
    public void forgetPublished() {
        published = null;
    }

    /**
     * Whether the nodes of {@code desired} (built for the current generation) are exactly what the API holds.
     * They name every chunk and program by content, so then nothing an agent should run has changed and the
     * generation stays; a chunk or program altered or deleted behind the operator's back is put back by the
     * Publisher under its old name.
     */
    private static boolean published(DesiredState desired, Published existing) {
        if (existing.nodes().size() != desired.nodes().size()) return false;
        for (WeirNode node : desired.nodes()) {
            WeirNode current = existing.nodes().get(node.getMetadata().getName());
            if (current == null || !node.getSpec().equals(current.getSpec())) return false;
        }
        return true;
    }
}
