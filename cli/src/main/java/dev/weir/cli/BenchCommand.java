package dev.weir.cli;

import dev.weir.datapath.kernel.KernelMap;
import dev.weir.datapath.kernel.KernelProgram;
import dev.weir.datapath.kernel.ProgramSpec;
import dev.weir.datapath.kernel.TestRun;
import dev.weir.datapath.kernel.TestRunRequest;
import dev.weir.datapath.maps.BpfMap;
import dev.weir.datapath.maps.MemoryMap;
import dev.weir.datapath.samples.PolicyBenchmarkScene;
import dev.weir.datapath.vm.Interpreter;
import dev.weir.datapath.vm.ProgramType;
import dev.weir.datapath.vm.XdpMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * weir bench: the policy-shaped program (10,000 prefixes, 10,000 policy entries) run in the
 * interpreter and, with the same bytecode and map contents, in the kernel by BPF_PROG_TEST_RUN;
 * ns per packet for both and their ratio. JMH (benchmarks/) is the rigorous interpreter figure.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the policy-shaped XDP program per packet in the interpreter and in the kernel.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--seconds", defaultValue = "2", description = "Measuring time per case in the interpreter (each case is first warmed up as long).")
    double seconds;

    @Option(names = "--repeat", defaultValue = "1000000", description = "Repetitions per kernel test run.")
    int repeat;

    record Case(String name, byte[] frame) {}

    @Override
    public Integer call() {
        PolicyBenchmarkScene scene = new PolicyBenchmarkScene();
        List<Case> cases = List.of(new Case("exact port hit (1 LPM + 1 hash)", scene.exactHit),
                new Case("wildcard port hit (1 LPM + 2 hash)", scene.wildcardHit),
                new Case("denied (1 LPM + 2 hash)", scene.denied));
        Interpreter vm = new Interpreter();
        KernelSide kernel = KernelSide.open(scene);
        System.out.printf("policy-shaped XDP program, %d instructions, %,d prefixes, %,d policy entries%n",
                scene.bytecode.slotCount(), PolicyBenchmarkScene.ENTRIES, PolicyBenchmarkScene.ENTRIES);
        System.out.printf("%-36s %8s %16s %12s %7s%n", "packet", "verdict", "interpreter ns", "kernel ns", "ratio");
        long warmUp = (long) (seconds * 1e9);
        for (Case c : cases) loop(vm, scene, c.frame(), warmUp); // let the JIT compile the dispatch loop for all paths
        try (kernel) {
            for (Case c : cases) {
                long verdict = vm.runXdp(scene.program, c.frame(), XdpMetadata.DEFAULT).valueOrThrow();
                double interpreted = measure(vm, scene, c.frame());
                Optional<TestRun> run = kernel.run(c.frame(), repeat);
                String kernelNs = run.map(r -> Long.toString(r.durationNs())).orElse("n/a");
                String ratio = run.map(r -> String.format("%.1fx", interpreted / Math.max(1, r.durationNs()))).orElse("");
                if (run.isPresent() && run.get().retval() != verdict) {
                    throw new IllegalStateException("verdicts differ for " + c.name() + ": interpreter " + verdict
                            + ", kernel " + run.get().retval());
                }
                System.out.printf("%-36s %8s %16.1f %12s %7s%n", c.name(), verdict == 2 ? "PASS" : "DROP", interpreted, kernelNs, ratio);
            }
        }
        kernel.unavailable().ifPresent(why -> System.out.println("kernel: not measured (" + why + ")"));
        return 0;
    }

    private double measure(Interpreter vm, PolicyBenchmarkScene scene, byte[] frame) {
        return loop(vm, scene, frame, (long) (seconds * 1e9));
    }

    private static double loop(Interpreter vm, PolicyBenchmarkScene scene, byte[] frame, long nanos) {
        long start = System.nanoTime(), runs = 0, sink = 0;
        long end = start + nanos;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) sink += vm.runXdp(scene.program, frame, XdpMetadata.DEFAULT).instructions();
            runs += 1000;
        }
        if (sink == 42) System.out.print(""); // keep the results alive
        return (System.nanoTime() - start) / (double) runs;
    }

    /** The same program and map contents loaded into the kernel, or why that is not possible here. */
    private record KernelSide(KernelProgram program, List<KernelMap> maps, Optional<String> unavailable) implements AutoCloseable {
        static KernelSide open(PolicyBenchmarkScene scene) {
            List<KernelMap> maps = new ArrayList<>();
            try {
                for (MemoryMap m : scene.maps) maps.add(copy(m));
                KernelProgram p = KernelProgram.load(ProgramSpec.of("policy_bench", ProgramType.XDP, scene.bytecode,
                        scene.maps.stream().map(MemoryMap::spec).toList()), maps);
                return new KernelSide(p, maps, Optional.empty());
            } catch (RuntimeException | LinkageError e) {
                maps.forEach(KernelMap::close);
                return new KernelSide(null, List.of(), Optional.of(String.valueOf(e.getMessage())));
            }
        }

        private static KernelMap copy(MemoryMap from) {
            KernelMap to = KernelMap.create(from.spec());
            try {
                for (byte[] key = from.nextKey(null).orElse(null); key != null; key = from.nextKey(key).orElse(null)) {
                    to.update(key, from.lookup(key).orElseThrow(), BpfMap.ANY);
                }
                return to;
            } catch (RuntimeException e) {
                to.close();
                throw e;
            }
        }

        Optional<TestRun> run(byte[] frame, int repeat) {
            return program == null ? Optional.empty()
                    : Optional.of(program.testRun(TestRunRequest.of(frame).withRepeat(repeat)));
        }

        @Override
        public void close() {
            if (program != null) program.close();
            maps.forEach(KernelMap::close);
        }
    }
}
