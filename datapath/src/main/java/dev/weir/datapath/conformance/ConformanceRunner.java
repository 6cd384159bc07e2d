package dev.weir.datapath.conformance;

import dev.weir.datapath.isa.Bytecode;
import dev.weir.datapath.isa.BytecodeException;
import dev.weir.datapath.vm.Interpreter;
import dev.weir.datapath.vm.LoadException;
import dev.weir.datapath.vm.ProgramType;
import dev.weir.datapath.vm.RunResult;
import dev.weir.datapath.vm.VmProgram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs corpus tests in the interpreter with the corpus contract (r1 = memory, r2 = its length,
 * 512-byte stack) and judges them: the result must equal {@code -- result}; a test with
 * {@code -- error} passes when the program is refused (at load or by a fault), since error texts
 * differ between runtimes. Assembly errors count as refusals (an instruction Weir cannot even
 * express, such as r11, is refused at the earliest stage); a test without a program fails.
 */
public final class ConformanceRunner {
    public enum Verdict { PASSED, FAILED, EXCLUDED }

    /**
     * @param refusal what refused the program (assembler, decoder, loader or a fault), or null if it ran
     * @param detail  one line on why the verdict is what it is
     */
    public record Outcome(Path file, Verdict verdict, String refusal, String detail) {
        public String name() {
            return file.getFileName().toString();
        }
    }

    public record Report(List<Outcome> outcomes) {
        public long count(Verdict v) {
            return outcomes.stream().filter(o -> o.verdict() == v).count();
        }

        /** The closing line the CI reads: "N passed, M failed" (and excluded, if any). */
        public String summary() {
            long excluded = count(Verdict.EXCLUDED);
            return count(Verdict.PASSED) + " passed, " + count(Verdict.FAILED) + " failed"
                    + (excluded > 0 ? ", " + excluded + " skipped" : "");
        }
    }

    private final Exclusions exclusions;

    public ConformanceRunner(Exclusions exclusions) {
        this.exclusions = exclusions;
    }

    /** Every .data file under a folder, recursively, in name order. */
    public Report runFolder(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return new Report(files.filter(p -> p.toString().endsWith(".data")).sorted().map(this::run).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Outcome run(Path file) {
        var reason = exclusions.reason(file);
        if (reason.isPresent()) return new Outcome(file, Verdict.EXCLUDED, null, reason.get());
        ConformanceTest test;
        try {
            test = ConformanceTest.parse(file);
        } catch (IOException | IllegalArgumentException e) {
            return new Outcome(file, Verdict.FAILED, null, "unreadable test: " + e.getMessage());
        }
        return judge(test);
    }

    public Outcome judge(ConformanceTest test) {
        Path file = test.file();
        Bytecode bytecode;
        switch (test.program()) {
            case ConformanceTest.Program.Missing m -> {
                return new Outcome(file, Verdict.FAILED, null, "the test has no program (no -- asm or -- raw)");
            }
            case ConformanceTest.Program.Invalid(var error) -> {
                return refused(test, "assembler: " + error.getMessage());
            }
            case ConformanceTest.Program.Loaded(Bytecode b) -> bytecode = b;
        }
        if (bytecode.slotCount() == 0) {
            return new Outcome(file, Verdict.FAILED, null, "the test's program has no instructions");
        }
        boolean errorExpected = test.expectedError().isPresent();
        VmProgram program;
        try {
            program = VmProgram.load(test.name(), ProgramType.RAW, bytecode);
        } catch (LoadException | BytecodeException e) {
            return refused(test, e.getMessage());
        }
        RunResult result = new Interpreter().runRaw(program, test.memory());
        if (result instanceof RunResult.Faulted f) return refused(test, f.fault().describe());
        long r0 = ((RunResult.Returned) result).value();
        if (errorExpected) {
            return new Outcome(file, Verdict.FAILED, null, "expected an error (" + test.expectedError().get().strip()
                    + ") but the program returned 0x" + Long.toHexString(r0));
        }
        if (test.expectedResult().isEmpty()) {
            return new Outcome(file, Verdict.FAILED, null, "the test has no -- result; returned 0x" + Long.toHexString(r0));
        }
        long expected = test.expectedResult().getAsLong();
        return expected == r0
                ? new Outcome(file, Verdict.PASSED, null, "0x" + Long.toHexString(r0))
                : new Outcome(file, Verdict.FAILED, null, "returned 0x" + Long.toHexString(r0) + ", expected 0x" + Long.toHexString(expected));
    }

    private static Outcome refused(ConformanceTest test, String why) {
        return test.expectedError().isPresent()
                ? new Outcome(test.file(), Verdict.PASSED, why, "refused as expected: " + why)
                : new Outcome(test.file(), Verdict.FAILED, why, "refused: " + why);
    }
}
