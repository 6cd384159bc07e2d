package dev.weir.cli;

import dev.weir.datapath.isa.Bytecode;
import dev.weir.datapath.isa.BytecodeException;
import dev.weir.datapath.vm.Interpreter;
import dev.weir.datapath.vm.LoadException;
import dev.weir.datapath.vm.ProgramType;
import dev.weir.datapath.vm.RunResult;
import dev.weir.datapath.vm.VmProgram;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** weir vm: the embedded interpreter on its own. */
@Command(name = "vm", mixinStandardHelpOptions = true, description = "Run eBPF bytecode in Weir's interpreter.",
        subcommands = {VmCommand.Plugin.class, ConformanceCommand.class, DifferentialCommand.class})
final class VmCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * The bpf_conformance runner's plugin protocol: the program as hex on standard input, the
     * memory as a hex argument; prints r0 in hex and exits 0, or a message and a non-zero status.
     */
    @Command(name = "plugin", mixinStandardHelpOptions = true,
            description = "bpf_conformance plugin: program hex on stdin, memory hex as argument, prints r0 in hex.")
    static final class Plugin implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "MEMORY-HEX", description = "Memory the program gets in r1 (length in r2).")
        String memoryHex = "";

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            String programHex = new String(System.in.readAllBytes(), StandardCharsets.US_ASCII);
            try {
                Bytecode code = Bytecode.ofHex(programHex);
                byte[] memory = HexFormat.of().parseHex(memoryHex.replaceAll("\\s+", ""));
                VmProgram program = VmProgram.load("plugin", ProgramType.RAW, code);
                return switch (new Interpreter().runRaw(program, memory)) {
                    case RunResult.Returned r -> {
                        out.println(Long.toHexString(r.value()));
                        yield 0;
                    }
                    case RunResult.Faulted f -> {
                        err.println("weir: " + f.fault().describe());
                        yield 1;
                    }
                };
            } catch (BytecodeException | LoadException | IllegalArgumentException e) {
                err.println("weir: " + e.getMessage());
                return 1;
            }
        }
    }
}
