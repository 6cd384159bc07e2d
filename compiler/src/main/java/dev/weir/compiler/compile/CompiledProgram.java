package dev.weir.compiler.compile;

import dev.weir.compiler.policy.Direction;
import dev.weir.datapath.isa.Code;
import dev.weir.datapath.kernel.ProgramSpec;

/**
 * One generated program: its symbolic code (for disassembly) and the loadable spec (bytecode and the Weir
 * maps it indexes). Pods whose namespaces produce the same bytes share it.
 */
public record CompiledProgram(String name, Direction direction, Code code, ProgramSpec spec) {

    public int instructions() {
        return code.instructions().size();
    }
}
