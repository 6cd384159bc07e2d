package dev.weir.compiler.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.CompiledProgram;
import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.scale.SyntheticCluster;
import dev.weir.datapath.kernel.KernelTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Larger clusters through the real verifier: every program of a synthetic cluster loads, and the kernel and
 * the interpreter agree on a sample of its connections; one namespace with 10,000 policies still verifies
 * (in parts) and agrees.
 */
@KernelTest
class ScaleInKernelTest {

    @Test
    void everyProgramOfASyntheticClusterLoadsAndAgreesWithTheInterpreter() {
        ClusterState cluster = SyntheticCluster.generate(40, 12, 3, 11);
        CompiledCluster compiled = Compiler.compile(cluster);
        assertThat(compiled.problems()).isEmpty();
        assertThat(compiled.programs()).hasSizeGreaterThan(40);
        List<ClusterPod> pods = cluster.pods();
        int allowed = 0, compared = 0;
        try (var kernel = new Simulator(compiled, Datapath.kernel(compiled));
             var interpreter = new Simulator(compiled, Datapath.interpreter(compiled))) {
            for (int i = 0; i < pods.size(); i += 3) {
                for (int j = 0; j < pods.size(); j += 7) {
                    for (int port : List.of(8080, 8081, 5432, 9090)) {
                        Target from = Target.pod(pods.get(i).ref()), to = Target.pod(pods.get(j).ref());
                        boolean inKernel = kernel.connect(from, to, port, Protocol.TCP).allowed();
                        assertThat(inKernel).as("%s -> %s :%d", from, to, port)
                                .isEqualTo(interpreter.connect(from, to, port, Protocol.TCP).allowed());
                        compared++;
                        if (inKernel) allowed++;
                    }
                }
            }
        }
        assertThat(allowed).isStrictlyBetween(0, compared);
    }

    @Test
    void tenThousandPoliciesInOneNamespaceVerify() {
        ClusterState cluster = SyntheticCluster.generate(1, 20, 10_000, 3);
        CompiledCluster compiled = Compiler.compile(cluster);
        CompiledProgram largest = compiled.programs().values().stream()
                .max(java.util.Comparator.comparingInt(CompiledProgram::instructions)).orElseThrow();
        // Far past what one program may hold (the kernel refused 54,289 instructions): tail-called parts.
        assertThat(largest.instructions()).isGreaterThan(150_000);
        assertThat(largest.parts()).hasSizeBetween(10, dev.weir.compiler.abi.WeirMaps.MAX_PARTS);
        // Loading runs every program through the verifier; then a few connections must get the same verdicts.
        try (var kernel = new Simulator(compiled, Datapath.kernel(compiled));
             var interpreter = new Simulator(compiled, Datapath.interpreter(compiled))) {
            List<ClusterPod> pods = cluster.pods();
            int compared = 0;
            for (int i = 1; i < pods.size(); i += 5) {
                Target from = Target.pod(pods.get(i).ref()), to = Target.pod(pods.get((i + 1) % pods.size()).ref());
                for (int port : List.of(8080, 5432, 443)) {
                    boolean inKernel = kernel.connect(from, to, port, Protocol.TCP).allowed();
                    assertThat(inKernel).as("%s -> %s :%d", from, to, port)
                            .isEqualTo(interpreter.connect(from, to, port, Protocol.TCP).allowed());
                    compared++;
                }
            }
            assertThat(compared).isPositive();
        }
    }
}
