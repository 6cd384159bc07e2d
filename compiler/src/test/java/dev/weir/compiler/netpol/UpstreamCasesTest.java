package dev.weir.compiler.netpol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.netpol.NetpolCase.Step;
import dev.weir.compiler.policy.PolicyValidator;
import dev.weir.compiler.reference.Endpoint;
import dev.weir.compiler.reference.ReachabilityEngine;
import java.util.ArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs upstream's e2e truth tables on every engine. */
class UpstreamCasesTest {

    static Stream<Arguments> enginesAndCases() {
        return Engines.all().stream().flatMap(engine -> UpstreamCases.all().stream().map(c -> Arguments.of(engine.name(), engine, c)));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("enginesAndCases")
    void matchesUpstreamTruthTable(String engineName, ReachabilityEngine engine, NetpolCase testCase) {
        for (Step step : testCase.steps()) {
            step.cluster().policies().forEach(policy -> assertThat(PolicyValidator.validate(policy)).isEmpty());
            try (ReachabilityEngine.Verdicts verdicts = engine.load(step.cluster())) {
            for (Probe probe : step.probes()) {
                ExpectedReachability expected = probe.expected();
                var wrong = new ArrayList<String>();
                for (PodRef from : expected.pods()) {
                    for (PodRef to : expected.pods()) {
                        boolean actual = verdicts.allows(Endpoint.pod(from), Endpoint.pod(to), probe.port(), probe.protocol());
                        if (!from.equals(to) && actual != expected.expected(from, to)) {
                            wrong.add(from + " -> " + to + (actual ? " allowed" : " denied"));
                        }
                    }
                }
                assertThat(wrong)
                        .as("%s (upstream: %s), step '%s', %s%nexpected:%n%s%nobserved:%n%s", testCase.name(),
                                testCase.upstreamTest(), step.description(), probe, expected.render(),
                                expected.render((from, to) -> verdicts.allows(Endpoint.pod(from), Endpoint.pod(to),
                                        probe.port(), probe.protocol())))
                        .isEmpty();
            }
            }
        }
    }

    @Test
    void portsAtLeastTwentyFiveUpstreamCases() {
        long upstream = UpstreamCases.all().stream().filter(c -> !c.upstreamTest().startsWith("Weir-authored")).count();
        assertThat(upstream).isGreaterThanOrEqualTo(25);
    }
}
