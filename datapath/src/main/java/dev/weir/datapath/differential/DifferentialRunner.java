package dev.weir.datapath.differential;

import dev.weir.datapath.kernel.KernelMap;
import dev.weir.datapath.kernel.KernelProgram;
import dev.weir.datapath.kernel.PossibleCpus;
import dev.weir.datapath.kernel.ProgramSpec;
import dev.weir.datapath.kernel.TestRun;
import dev.weir.datapath.kernel.TestRunRequest;
import dev.weir.datapath.kernel.VerifierException;
import dev.weir.datapath.maps.BpfMap;
import dev.weir.datapath.maps.MapContents;
import dev.weir.datapath.maps.MemoryMap;
import dev.weir.datapath.vm.Interpreter;
import dev.weir.datapath.vm.ProgramType;
import dev.weir.datapath.vm.RunResult;
import dev.weir.datapath.vm.SkbMetadata;
import dev.weir.datapath.vm.VmProgram;
import dev.weir.datapath.vm.XdpMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Runs one scenario in the interpreter and in the kernel (BPF_PROG_TEST_RUN) from the same initial
 * maps and packet, and compares the return value, the packet after the run and every map's full
 * contents. Needs bpf() privileges.
 */
public final class DifferentialRunner {
    private final int cpus = PossibleCpus.count();

    public Comparison compare(Scenario s) {
        List<MemoryMap> memoryMaps = s.maps().stream().map(spec -> MemoryMap.create(spec, cpus)).toList();
        List<KernelMap> kernelMaps = new ArrayList<>();
        try {
            for (var spec : s.maps()) kernelMaps.add(KernelMap.create(spec));
            fill(memoryMaps, s);
            fill(kernelMaps, s);
            KernelProgram program;
            try {
                program = KernelProgram.load(ProgramSpec.of(kernelName(s), s.type(), s.bytecode(), s.maps()), kernelMaps);
            } catch (VerifierException e) {
                return new Comparison(s, List.of(), e.getMessage() + "\n" + e.log());
            }
            try (program) {
                TestRun kernel = program.testRun(TestRunRequest.of(s.packet()));
                RunResult vm = run(s, memoryMaps);
                return new Comparison(s, differences(vm, kernel, memoryMaps, kernelMaps), null);
            }
        } finally {
            kernelMaps.forEach(KernelMap::close);
        }
    }

    private RunResult run(Scenario s, List<MemoryMap> maps) {
        VmProgram p = VmProgram.load(s.name(), s.type(), s.bytecode(), maps);
        // A new interpreter each time: an interpreter keeps every map it has run with.
        Interpreter interpreter = new Interpreter(Interpreter.Options.defaults().withPossibleCpus(cpus));
        return s.type() == ProgramType.XDP
                ? interpreter.runXdp(p, s.packet(), XdpMetadata.DEFAULT)
                : interpreter.runTc(p, s.packet(), SkbMetadata.forPacket(s.packet(), 1));
    }

    private static List<Mismatch> differences(RunResult vm, TestRun kernel, List<MemoryMap> memoryMaps,
                                              List<KernelMap> kernelMaps) {
        List<Mismatch> out = new ArrayList<>();
        switch (vm) {
            case RunResult.Faulted f -> out.add(new Mismatch("run", "faulted: " + f.fault().describe(),
                    "returned " + kernel.retval()));
            case RunResult.Returned r -> {
                long retval = r.value() & 0xffffffffL;
                if (retval != kernel.retval()) {
                    out.add(new Mismatch("return value", Long.toHexString(retval), Long.toHexString(kernel.retval())));
                }
                if (!Arrays.equals(r.packet(), kernel.dataOut())) {
                    out.add(new Mismatch("packet", HexFormat.of().formatHex(r.packet()),
                            HexFormat.of().formatHex(kernel.dataOut())));
                }
            }
        }
        for (int i = 0; i < memoryMaps.size(); i++) {
            var inVm = MapContents.snapshot(memoryMaps.get(i));
            var inKernel = MapContents.snapshot(kernelMaps.get(i));
            if (!inVm.equals(inKernel)) {
                out.add(new Mismatch("map '" + memoryMaps.get(i).spec().name() + "'", inVm.toString(), inKernel.toString()));
            }
        }
        return out;
    }

    private static void fill(List<? extends BpfMap> maps, Scenario s) {
        for (int i = 0; i < maps.size(); i++) {
            for (var e : s.initialEntries().get(i)) maps.get(i).update(e.key(), e.value(), BpfMap.ANY);
        }
    }

    private static String kernelName(Scenario s) {
        String n = s.name().replaceAll("[^A-Za-z0-9_]", "_");
        return n.length() > 15 ? n.substring(n.length() - 15) : n;
    }
}
