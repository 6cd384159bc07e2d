package dev.weir.compiler.property;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.netpol.Engines;
import dev.weir.compiler.reference.Endpoint;
import dev.weir.compiler.reference.ReachabilityEngine;
import dev.weir.compiler.reference.ReferenceEvaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Connections between pods and addresses outside the cluster, both ways, on random clusters: only ipBlock
 * peers (with their excepts) and peer-less rules can let them through. Each engine must agree with the
 * reference evaluator.
 */
class ExternalAddressesTest {

    /**
     * Inside and outside the random ipBlocks (10.n.0.0/16, 10.n.0.k/32, 0.0.0.0/0 except 10.n.0.0/24); those a
     * pod of the cluster has are skipped (they are not outside).
     */
    static final List<String> ADDRESSES = List.of("10.0.0.1", "10.1.0.3", "10.1.0.4", "10.2.0.200", "10.3.7.7", "10.9.0.1", "192.0.2.1");

    static Stream<Arguments> enginesAndSeeds() {
        return Engines.all().stream().filter(e -> !(e instanceof ReferenceEvaluator))
                .flatMap(engine -> LongStream.range(0, 60).mapToObj(seed -> Arguments.of(engine, seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("enginesAndSeeds")
    void agreesWithTheReferenceEvaluator(ReachabilityEngine engine, long seed) {
        ClusterState cluster = new RandomClusters(seed).cluster();
        assertThat(verdicts(engine, cluster)).isEqualTo(verdicts(new ReferenceEvaluator(), cluster));
    }

    private static List<String> verdicts(ReachabilityEngine engine, ClusterState cluster) {
        var lines = new ArrayList<String>();
        try (var verdicts = engine.load(cluster)) {
            for (ClusterPod pod : cluster.pods()) {
                for (String address : ADDRESSES) {
                    if (cluster.pods().stream().anyMatch(p -> address.equals(p.ip()))) continue; // a pod's, not outside
                    for (int port : RandomClusters.PORTS) {
                        for (Protocol protocol : Protocol.values()) {
                            Endpoint inside = Endpoint.pod(pod.ref()), outside = Endpoint.external(address);
                            lines.add(pod.ref() + " -> " + address + " " + port + "/" + protocol + ": "
                                    + verdicts.allows(inside, outside, port, protocol));
                            lines.add(address + " -> " + pod.ref() + " " + port + "/" + protocol + ": "
                                    + verdicts.allows(outside, inside, port, protocol));
                        }
                    }
                }
            }
        }
        return lines;
    }
}
