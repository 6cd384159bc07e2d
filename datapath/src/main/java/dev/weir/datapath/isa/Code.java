package dev.weir.datapath.isa;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A sequence of instructions with named labels: the symbolic form of a program. Labels map to
 * instruction indexes (not slots); {@link #encode} resolves them once, together with map names.
 */
public record Code(List<Instruction> instructions, Map<String, Integer> labels) {

    public Code {
        instructions = List.copyOf(instructions);
        labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    public static Code of(List<Instruction> instructions) {
        return new Code(instructions, Map.of());
    }

    /** Encodes code that names no maps symbolically. */
    public Bytecode encode() {
        return encode(name -> {
            throw new IllegalArgumentException("no map resolver given");
        });
    }

    /** Encodes, resolving {@link MapRef.Named} maps to file descriptors or indexes. */
    public Bytecode encode(Function<String, MapRef> maps) {
        return Encoding.encode(this, maps);
    }

    /** Slot index at which each instruction starts, plus one entry for the end. */
    public int[] slotPositions() {
        int[] at = new int[instructions.size() + 1];
        for (int i = 0; i < instructions.size(); i++) at[i + 1] = at[i] + instructions.get(i).slots();
        return at;
    }

    public int slotCount() {
        return slotPositions()[instructions.size()];
    }
}
