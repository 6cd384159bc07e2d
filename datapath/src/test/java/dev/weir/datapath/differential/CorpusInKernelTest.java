package dev.weir.datapath.differential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.datapath.conformance.ConformanceTest;
import dev.weir.datapath.conformance.Corpus;
import dev.weir.datapath.conformance.Exclusions;
import dev.weir.datapath.kernel.KernelTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The whole shared ISA corpus in the kernel as well: every program the kernel verifier accepts
 * gives the same 64-bit r0 and memory as in the interpreter. Programs the verifier refuses (it is
 * stricter than the ISA: uninitialised reads, callx, unbounded loops) are listed, not failed.
 */
@KernelTest
class CorpusInKernelTest {
    @Test
    void everyCorpusProgramTheKernelAcceptsAgreesWithTheInterpreter() {
        Exclusions exclusions = Exclusions.bundled();
        List<String> disagreements = new ArrayList<>();
        Map<String, String> refused = new TreeMap<>();
        int agreed = 0;
        List<java.nio.file.Path> files = new ArrayList<>(Corpus.dataFiles("bpf-conformance"));
        files.addAll(Corpus.dataFiles("ubpf"));
        for (var file : files) {
            if (exclusions.reason(file).isPresent()) continue;
            ConformanceTest test = Corpus.parse(file);
            if (test.expectedError().isPresent()) continue;
            if (!(test.program() instanceof ConformanceTest.Program.Loaded(var bytecode))) continue;
            switch (CorpusInKernel.run(test, bytecode)) {
                case CorpusInKernel.Outcome.Agreed a -> agreed++;
                case CorpusInKernel.Outcome.Disagreed d -> disagreements.add(Corpus.displayName(file) + ": " + d.what());
                case CorpusInKernel.Outcome.KernelRefused r -> refused.put(Corpus.displayName(file), r.complaint());
                case CorpusInKernel.Outcome.InterpreterRefused r -> disagreements.add(Corpus.displayName(file) + ": " + r.why());
            }
        }
        System.err.printf("corpus in the kernel: %d agreed, %d refused by the verifier, %d disagreed%n",
                agreed, refused.size(), disagreements.size());
        refused.forEach((name, why) -> System.err.println("  verifier refused " + name + ": " + why));
        assertThat(disagreements).as(String.join("\n", disagreements)).isEmpty();
        assertThat(agreed).isGreaterThan(250);
    }
}
