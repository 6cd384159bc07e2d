package dev.weir.bench;

import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.compile.PodUpdate;
import dev.weir.compiler.scale.SyntheticCluster;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The policy compiler at scale: 1,000 policies over 10,001 pods in 501 namespaces (SyntheticCluster),
 * compiled in full, and one pod added or relabelled incrementally (map entries only).
 * Run: java -jar benchmarks/target/benchmarks.jar CompilerBenchmark
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class CompilerBenchmark {
    private ClusterState cluster;
    private CompiledCluster compiled;
    private ClusterState withNewPod;
    private ClusterState relabelled;
    private ClusterPod newcomer;
    private ClusterPod moved;

    @Setup
    public void setUp() {
        cluster = SyntheticCluster.generate(500, 20, 2, 1);
        compiled = Compiler.compile(cluster);
        if (!compiled.problems().isEmpty()) throw new IllegalStateException(compiled.problems().toString());
        newcomer = new ClusterPod("app-7", "frontend-new", Map.of("app", "shop-7", "tier", "frontend"), "10.64.7.200", List.of());
        withNewPod = cluster.toBuilder().pod(newcomer).build();
        moved = cluster.pods().get(1234);
        relabelled = cluster.withPodLabels(moved.ref(), Map.of("app", "canary", "tier", "backend"));
    }

    @Benchmark
    public CompiledCluster fullCompile() {
        return Compiler.compile(cluster);
    }

    @Benchmark
    public CompiledCluster recompileWithPreviousNumbering() {
        return Compiler.compile(cluster, compiled);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public PodUpdate.Delta podAdded() {
        return PodUpdate.podChanged(compiled, withNewPod, newcomer.ref()).orElseThrow();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public PodUpdate.Delta podRelabelled() {
        return PodUpdate.podChanged(compiled, relabelled, moved.ref()).orElseThrow();
    }
}
