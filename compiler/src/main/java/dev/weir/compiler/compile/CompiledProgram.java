package dev.weir.compiler.compile;

import dev.weir.compiler.policy.Direction;
import dev.weir.datapath.isa.Code;
import dev.weir.datapath.kernel.ProgramSpec;
import java.util.List;

/**
 * One generated program: its parts, part 0 first (the one attached to a hook; the others are reached by tail
 * calls through the program's own {@link dev.weir.compiler.abi.WeirMaps#JUMPS} array, slot k holding part
 * k). Nearly every program is one part. Pods whose namespaces produce the same bytes share it.
 */
public record CompiledProgram(String name, Direction direction, List<Part> parts) {

    /** A part's symbolic code (for disassembly) and its loadable spec (bytecode and the maps it indexes). */
    public record Part(Code code, ProgramSpec spec) {}

    public CompiledProgram {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) throw new IllegalArgumentException("program " + name + " has no parts");
    }

    /** Part 0: what a hook runs first. */
    public Part entry() {
        return parts.getFirst();
    }

    public boolean split() {
        return parts.size() > 1;
    }

    /** Instructions over all parts. */
    public int instructions() {
        return parts.stream().mapToInt(part -> part.code().instructions().size()).sum();
    }
}
