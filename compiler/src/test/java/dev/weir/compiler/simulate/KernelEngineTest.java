package dev.weir.compiler.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.netpol.NetpolCase;
import dev.weir.compiler.netpol.Probe;
import dev.weir.compiler.netpol.UpstreamCases;
import dev.weir.compiler.property.RandomClusters;
import dev.weir.compiler.reference.Endpoint;
import dev.weir.compiler.reference.ReachabilityEngine;
import dev.weir.datapath.kernel.KernelTest;
import java.util.ArrayList;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiled programs in the real kernel: every program passes the verifier (loading them is part of
 * each case), and the verdicts of BPF_PROG_TEST_RUN match upstream's truth tables and the interpreter's.
 */
@KernelTest
class KernelEngineTest {

    private final ReachabilityEngine kernel = CompiledEngine.kernel();
    private final ReachabilityEngine interpreter = CompiledEngine.interpreter();

    static Stream<NetpolCase> upstreamCases() {
        return UpstreamCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamCases")
    void matchesUpstreamTruthTable(NetpolCase testCase) {
        for (NetpolCase.Step step : testCase.steps()) {
            try (var verdicts = kernel.load(step.cluster())) {
                for (Probe probe : step.probes()) {
                    var wrong = new ArrayList<String>();
                    for (PodRef from : probe.expected().pods()) {
                        for (PodRef to : probe.expected().pods()) {
                            boolean actual = verdicts.allows(Endpoint.pod(from), Endpoint.pod(to), probe.port(), probe.protocol());
                            if (!from.equals(to) && actual != probe.expected().expected(from, to)) {
                                wrong.add(from + " -> " + to + (actual ? " allowed" : " denied"));
                            }
                        }
                    }
                    assertThat(wrong).as("%s, step '%s', %s", testCase.name(), step.description(), probe).isEmpty();
                }
            }
        }
    }

    static Stream<Long> seeds() {
        return LongStream.range(0, 40).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void kernelAndInterpreterGiveTheSameVerdicts(long seed) {
        ClusterState cluster = new RandomClusters(seed).cluster();
        try (var inKernel = kernel.load(cluster); var inInterpreter = interpreter.load(cluster)) {
            int compared = 0;
            for (var from : cluster.pods()) {
                for (var to : cluster.pods()) {
                    for (int port : RandomClusters.PORTS) {
                        for (var protocol : dev.weir.compiler.cluster.Protocol.values()) {
                            Endpoint a = Endpoint.pod(from.ref()), b = Endpoint.pod(to.ref());
                            assertThat(inKernel.allows(a, b, port, protocol))
                                    .as("%s -> %s %d/%s", from.ref(), to.ref(), port, protocol)
                                    .isEqualTo(inInterpreter.allows(a, b, port, protocol));
                            compared++;
                        }
                    }
                }
            }
            assertThat(compared).isPositive();
        }
    }
}
