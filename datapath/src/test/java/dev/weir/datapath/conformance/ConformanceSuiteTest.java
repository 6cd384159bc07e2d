package dev.weir.datapath.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.datapath.conformance.ConformanceRunner.Outcome;
import dev.weir.datapath.conformance.ConformanceRunner.Verdict;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared ISA corpora run through the interpreter: every bpf-conformance and uBPF test passes
 * unless exclusions.txt names it with a reason; every negative test is refused or reported failed
 * with a clear message.
 */
class ConformanceSuiteTest {
    private static final ConformanceRunner RUNNER = new ConformanceRunner(Exclusions.bundled());

    static Stream<String> positive() {
        return Stream.concat(Stream.of("bpf-conformance", "ubpf").flatMap(f -> Corpus.allFiles().stream()
                        .filter(p -> Corpus.displayName(p).startsWith(f + "/"))), Stream.empty())
                .filter(p -> !Corpus.displayName(p).startsWith("ubpf/errors/"))
                .map(Corpus::displayName);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("positive")
    void passesOrIsExcludedWithAReason(String name) {
        Outcome outcome = RUNNER.run(Corpus.file(name));
        assertThat(outcome.verdict()).as("%s: %s", name, outcome.detail()).isIn(Verdict.PASSED, Verdict.EXCLUDED);
    }

    @Test
    void everyBpfConformanceTestPassesWithNoExclusion() {
        List<Outcome> outcomes = Corpus.dataFiles("bpf-conformance").stream().map(RUNNER::run).toList();
        assertThat(outcomes).hasSizeGreaterThanOrEqualTo(313);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.verdict()).as("%s: %s", o.name(), o.detail()).isEqualTo(Verdict.PASSED));
    }

    @Test
    void theUbpfCorpusIsThere() {
        List<Outcome> outcomes = positive().filter(n -> n.startsWith("ubpf/")).map(n -> RUNNER.run(Corpus.file(n))).toList();
        assertThat(outcomes).hasSizeGreaterThan(70);
        assertThat(outcomes.stream().filter(o -> o.verdict() == Verdict.PASSED)).hasSizeGreaterThan(40);
    }

    static Stream<String> negative() {
        return Corpus.allFiles().stream().map(Corpus::displayName)
                .filter(n -> n.startsWith("bpf-conformance-negative/") || n.startsWith("ubpf/errors/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("negative")
    void negativeTestsAreRefusedWithAClearError(String name) {
        Outcome outcome = RUNNER.run(Corpus.file(name));
        if (outcome.verdict() == Verdict.EXCLUDED) return; // listed with its reason in exclusions.txt
        boolean refused = outcome.refusal() != null && !outcome.refusal().isBlank();
        boolean reportedFailed = outcome.verdict() == Verdict.FAILED && !outcome.detail().isBlank();
        assertThat(refused || reportedFailed).as("%s: %s", name, outcome.detail()).isTrue();
        if (name.startsWith("ubpf/errors/")) { // programs a runtime must refuse: refused, not merely mismatched
            assertThat(outcome.refusal()).as("%s: %s", name, outcome.detail()).isNotBlank();
        }
        if (name.contains("/unused-")) {
            assertThat(outcome.refusal()).as(name).contains("instruction 0");
        }
    }

    @Test
    void thereAreNegativeTests() {
        assertThat(negative().count()).isGreaterThan(60);
    }

    @Test
    void everyExclusionNamesAFileThatExists() {
        for (String entry : Exclusions.bundled().entries().keySet()) {
            Path p = Corpus.root().resolve(entry);
            assertThat(p).as(entry).exists();
        }
    }
}
