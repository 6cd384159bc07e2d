package dev.weir.datapath.differential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.datapath.kernel.KernelTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Random programs run in the interpreter and in the kernel: the verifier accepts every one, and
 * return value, packet and maps agree. Set -Dweir.differential.programs=100000 for a longer run.
 */
@KernelTest
class RandomProgramDifferentialTest {
    private static final int PROGRAMS = Integer.getInteger("weir.differential.programs", 2000);

    @Test
    void interpreterAndKernelAgreeOnRandomPrograms() {
        DifferentialRunner runner = new DifferentialRunner();
        List<Comparison> disagreements = new ArrayList<>();
        int compared = 0;
        for (long seed = 0; seed < PROGRAMS; seed++) {
            Comparison c = runner.compare(ProgramGenerator.generate(seed));
            compared++;
            if (!c.agreed()) disagreements.add(c);
        }
        assertThat(compared).isEqualTo(PROGRAMS);
        disagreements.stream().map(c -> c.verifierRefusal() != null
                        ? "refused: " + c.verifierRefusal().lines().filter(l -> !l.isBlank() && !l.startsWith("processed")).reduce((a, b) -> b).orElse("")
                        : "mismatch: " + c.mismatches().get(0).what())
                .collect(java.util.stream.Collectors.groupingBy(x -> x, java.util.stream.Collectors.counting()))
                .forEach((k, v) -> System.err.println("DISAGREEMENT " + v + " x " + k));
        if (!disagreements.isEmpty()) {
            throw new AssertionError(disagreements.size() + " of " + PROGRAMS + " disagreed; first:\n"
                    + disagreements.get(0).reproducer());
        }
    }
}
