package dev.weir.cli;

import dev.weir.datapath.differential.Comparison;
import dev.weir.datapath.differential.DifferentialRunner;
import dev.weir.datapath.differential.ProgramGenerator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** weir vm differential: random programs in the interpreter and the kernel, compared. */
@Command(name = "differential", mixinStandardHelpOptions = true,
        description = "Generate random verifier-shaped programs and compare interpreter and kernel (needs bpf privileges).")
final class DifferentialCommand implements Callable<Integer> {
    @Option(names = "--programs", defaultValue = "100000", description = "How many programs (default ${DEFAULT-VALUE}).")
    long programs;

    @Option(names = "--seed", defaultValue = "0", description = "First seed; program i uses seed + i.")
    long seed;

    @Option(names = "--stop-after", defaultValue = "1", description = "Stop after this many disagreements.")
    int stopAfter;

    @Override
    public Integer call() {
        DifferentialRunner runner = new DifferentialRunner();
        long disagreed = 0, done = 0;
        for (long i = 0; i < programs && disagreed < stopAfter; i++, done++) {
            Comparison c = runner.compare(ProgramGenerator.generate(seed + i));
            if (!c.agreed()) {
                disagreed++;
                System.out.println(c.reproducer());
            }
            if ((i + 1) % 10_000 == 0) System.err.printf("%,d programs, %d disagreements%n", i + 1, disagreed);
        }
        System.out.println((done - disagreed) + " passed, " + disagreed + " failed");
        return disagreed == 0 ? 0 : 1;
    }
}
