package dev.weir.cli;

import dev.weir.datapath.asm.Disassembler;
import dev.weir.datapath.asm.TextAssembler;
import dev.weir.datapath.isa.Bytecode;
import dev.weir.datapath.isa.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** weir asm: assemble and disassemble. */
@Command(name = "asm", mixinStandardHelpOptions = true,
        description = "Assemble a file in the conformance-corpus syntax (or read hex bytecode with --hex) and print its disassembly and bytes.")
final class DisassembleCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Assembly source, or hex bytecode with --hex.")
    Path file;

    @Option(names = "--hex", description = "The file holds hex bytecode instead of assembly.")
    boolean hex;

    @Override
    public Integer call() throws Exception {
        String text = Files.readString(file);
        Bytecode bytecode = hex ? Bytecode.ofHex(text) : TextAssembler.assemble(text, file.toString(), 1);
        Code code = dev.weir.datapath.isa.Encoding.decode(bytecode);
        System.out.print(Disassembler.disassemble(code));
        System.out.println("; " + bytecode.slotCount() + " slots: " + bytecode.toHex());
        return 0;
    }
}
