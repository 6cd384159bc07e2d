package dev.weir.datapath.asm;

import dev.weir.datapath.isa.Code;
import dev.weir.datapath.isa.Instruction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link Code}: instructions appended in order, labels bound to the position of the next
 * instruction. Nothing is resolved until the code is encoded, so forward jumps need no fixups.
 */
public final class Assembler {
    private final List<Instruction> instructions = new ArrayList<>();
    private final Map<String, Integer> labels = new LinkedHashMap<>();

    /** Binds a label to the next instruction appended. */
    public Assembler label(String name) {
        Integer previous = labels.putIfAbsent(name, instructions.size());
        if (previous != null) {
            throw new IllegalArgumentException("label '" + name + "' is defined twice (instructions "
                    + previous + " and " + instructions.size() + ")");
        }
        return this;
    }

    public Assembler add(Instruction... insns) {
        instructions.addAll(List.of(insns));
        return this;
    }

    /** The number of instructions appended so far. */
    public int size() {
        return instructions.size();
    }

    public boolean hasLabel(String name) {
        return labels.containsKey(name);
    }

    public Code build() {
        return new Code(instructions, labels);
    }
}
