package dev.weir.cli;

import dev.weir.datapath.conformance.ConformanceRunner;
import dev.weir.datapath.conformance.ConformanceRunner.Outcome;
import dev.weir.datapath.conformance.ConformanceRunner.Verdict;
import dev.weir.datapath.conformance.Exclusions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** weir vm conformance DIR: runs a folder of .data tests and ends with "N passed, M failed". */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Run a folder of bpf_conformance/uBPF .data tests (recursively) in the interpreter.")
final class ConformanceCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "Folder of .data tests, e.g. ../shared/conformance/bpf-conformance")
    Path folder;

    @Option(names = "--no-exclusions", description = "Also run the tests the bundled exclusion list skips.")
    boolean noExclusions;

    @Option(names = {"-v", "--verbose"}, description = "Print every test, not only failures and skips.")
    boolean verbose;

    @Override
    public Integer call() {
        if (!Files.isDirectory(folder)) throw new IllegalArgumentException(folder + " is not a folder");
        var runner = new ConformanceRunner(noExclusions ? Exclusions.none() : Exclusions.bundled());
        var report = runner.runFolder(folder);
        for (Outcome o : report.outcomes()) {
            String name = folder.relativize(o.file()).toString();
            switch (o.verdict()) {
                case FAILED -> System.out.println("FAIL " + name + ": " + o.detail());
                case EXCLUDED -> System.out.println("SKIP " + name + ": " + o.detail());
                case PASSED -> { if (verbose) System.out.println("PASS " + name + ": " + o.detail()); }
            }
        }
        System.out.println(report.summary());
        return report.count(Verdict.FAILED) == 0 ? 0 : 1;
    }
}
