package dev.weir.datapath.differential;

import static dev.weir.datapath.asm.Asm.*;
import static dev.weir.datapath.isa.Register.*;

import dev.weir.datapath.conformance.ConformanceTest;
import dev.weir.datapath.isa.Bytecode;
import dev.weir.datapath.isa.Code;
import dev.weir.datapath.isa.Imm64;
import dev.weir.datapath.isa.Instruction;
import dev.weir.datapath.isa.MapRef;
import dev.weir.datapath.isa.Target;
import dev.weir.datapath.kernel.KernelMap;
import dev.weir.datapath.kernel.KernelProgram;
import dev.weir.datapath.kernel.ProgramSpec;
import dev.weir.datapath.kernel.TestRunRequest;
import dev.weir.datapath.kernel.VerifierException;
import dev.weir.datapath.maps.BpfMap;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.vm.Interpreter;
import dev.weir.datapath.vm.LoadException;
import dev.weir.datapath.vm.ProgramType;
import dev.weir.datapath.vm.RunResult;
import dev.weir.datapath.vm.VmProgram;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Runs a conformance-corpus program in the kernel and in the interpreter. PROG_TEST_RUN's return
 * value has only 32 bits, so, as the bpf_conformance suite does for the kernel, the test runs as a
 * subprogram of a wrapper: r1 points at the test memory (the value of a one-entry array map), r2 is
 * its length, and the wrapper stores the test's full 64-bit r0 in a second array map.
 */
public final class CorpusInKernel {
    /** Agreed, disagreed (with what differed), or refused by the kernel verifier (with its complaint). */
    public sealed interface Outcome {
        record Agreed(long r0) implements Outcome {}

        record Disagreed(String what) implements Outcome {}

        record KernelRefused(String complaint) implements Outcome {}

        record InterpreterRefused(String why) implements Outcome {}
    }

    private static final int WRAPPER_SLOTS = 9;

    public static Outcome run(ConformanceTest test, Bytecode program) {
        byte[] memory = test.memory();
        VmProgram vmProgram;
        try {
            vmProgram = VmProgram.load(test.name(), ProgramType.RAW, program);
        } catch (LoadException e) {
            return new Outcome.InterpreterRefused(e.getMessage());
        }
        RunResult vm = new Interpreter().runRaw(vmProgram, memory);

        MapSpec memSpec = MapSpec.array("mem", Math.max(1, memory.length), 1);
        MapSpec resultSpec = MapSpec.array("result", 8, 1);
        try (KernelMap mem = KernelMap.create(memSpec); KernelMap result = KernelMap.create(resultSpec)) {
            mem.update(key0(), Arrays.copyOf(memory, memSpec.valueSize()), BpfMap.ANY);
            Bytecode wrapped = wrap(program, memory.length);
            KernelProgram kernel;
            try {
                kernel = KernelProgram.load(ProgramSpec.of("conformance", ProgramType.XDP, wrapped, memSpec, resultSpec), List.of(mem, result));
            } catch (VerifierException e) {
                return new Outcome.KernelRefused(lastLine(e.log()));
            }
            try (kernel) {
                kernel.testRun(TestRunRequest.of(new byte[64]));
            }
            long kernelR0 = ByteBuffer.wrap(result.lookup(key0()).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN).getLong();
            byte[] kernelMemory = Arrays.copyOf(mem.lookup(key0()).orElseThrow(), memory.length);
            return switch (vm) {
                case RunResult.Faulted f -> new Outcome.Disagreed("interpreter faulted (" + f.fault().describe()
                        + "), kernel returned 0x" + Long.toHexString(kernelR0));
                case RunResult.Returned r when r.value() != kernelR0 -> new Outcome.Disagreed("r0: interpreter 0x"
                        + Long.toHexString(r.value()) + ", kernel 0x" + Long.toHexString(kernelR0));
                case RunResult.Returned r when !Arrays.equals(r.packet(), kernelMemory) -> new Outcome.Disagreed(
                        "memory: interpreter " + HexFormat.of().formatHex(r.packet()) + ", kernel " + HexFormat.of().formatHex(kernelMemory));
                case RunResult.Returned r -> new Outcome.Agreed(r.value());
            };
        }
    }

    /** wrapper: r1 = &mem[0]; r2 = len; call test; *(u64 *)&result[0] = r0; return 0; then the test. */
    static Bytecode wrap(Bytecode test, int memoryLength) {
        Code wrapper = Code.of(List.of(
                new Instruction.LoadImm64(R1, new Imm64.MapValue(new MapRef.Index(0), 0)),
                mov64(R2, memoryLength),
                new Instruction.CallLocal(Target.relative(WRAPPER_SLOTS - 4)),
                new Instruction.LoadImm64(R1, new Imm64.MapValue(new MapRef.Index(1), 0)),
                stxdw(R1, 0, R0),
                mov64(R0, 0),
                exit()));
        byte[] head = wrapper.encode().toByteArray(), body = test.toByteArray();
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return Bytecode.of(all);
    }

    private static byte[] key0() {
        return new byte[4];
    }

    private static String lastLine(String log) {
        return log.lines().filter(l -> !l.isBlank() && !l.startsWith("processed") && !l.startsWith("verification time"))
                .reduce((a, b) -> b).orElse("(no log)");
    }
}
