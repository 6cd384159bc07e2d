package dev.weir.bench;

import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.scale.SyntheticCluster;
import dev.weir.compiler.simulate.Datapath;
import dev.weir.compiler.simulate.Simulator;
import dev.weir.compiler.simulate.Target;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The reachability simulator on 1,001 pods (50 namespaces of 20 plus a monitoring pod, 100 policies):
 * every ordered pair, a million connections, each run through up to four programs in the interpreter.
 * Run: java -jar benchmarks/target/benchmarks.jar SimulatorBenchmark
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class SimulatorBenchmark {
    private Simulator simulator;
    private List<Target> pods;

    @Setup
    public void setUp() {
        ClusterState cluster = SyntheticCluster.generate(50, 20, 2, 1);
        CompiledCluster compiled = Compiler.compile(cluster);
        simulator = new Simulator(compiled, Datapath.interpreter(compiled));
        pods = cluster.pods().stream().map(ClusterPod::ref).map(Target::pod).toList();
    }

    @Benchmark
    public int allPairs() {
        int allowed = 0;
        for (Target from : pods) {
            for (Target to : pods) {
                if (simulator.connect(from, to, 8080, Protocol.TCP).allowed()) allowed++;
            }
        }
        return allowed;
    }
}
