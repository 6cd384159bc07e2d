package dev.weir.datapath.asm;

import dev.weir.datapath.isa.Code;
import dev.weir.datapath.isa.Imm64;
import dev.weir.datapath.isa.Instruction;
import dev.weir.datapath.isa.Instruction.*;
import dev.weir.datapath.isa.Target;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the jumps, local calls and function pointers of a {@link Code} land, whether written with
 * labels or relative offsets, and names for those places: the code's own labels where they are
 * valid names, synthesized {@code L<slot>} labels elsewhere.
 */
final class JumpTargets {
    private final Code code;
    private final int[] at;
    private final Map<Integer, Integer> indexAtSlot = new HashMap<>();

    JumpTargets(Code code) {
        this.code = code;
        this.at = code.slotPositions();
        for (int i = 0; i < at.length; i++) indexAtSlot.put(at[i], i);
    }

    /** The target of a jump, local call or function-pointer load, or null if the instruction has none. */
    static Target targetOf(Instruction insn) {
        return switch (insn) {
            case Jump j -> j.target();
            case Goto g -> g.target();
            case CallLocal c -> c.target();
            case LoadImm64(var dst, Imm64.Function(Target target)) -> target;
            default -> null;
        };
    }

    int slotOf(int index) {
        return at[index];
    }

    /** Slots from the instruction after {@code index} to its target, or null for an undefined label. */
    Integer relative(int index, Target target) {
        return switch (target) {
            case Target.Relative(int slots) -> slots;
            case Target.Label(String name) -> {
                Integer to = code.labels().get(name);
                yield to == null ? null : at[to] - (at[index] + 1);
            }
        };
    }

    /**
     * The instruction index a target lands on ({@code instructions().size()} for the very end), or -1
     * when it lands outside the code, inside a two-slot lddw, or on an undefined label.
     */
    int landing(int index, Target target) {
        Integer rel = relative(index, target);
        if (rel == null) return -1;
        Integer to = indexAtSlot.get(at[index] + 1 + rel);
        return to == null ? -1 : to;
    }

    /**
     * Label names per instruction index, in index order: every existing label with a valid name, and
     * a synthesized one for each landing place of a target that has none.
     */
    TreeMap<Integer, Set<String>> labelNames() {
        TreeMap<Integer, Set<String>> names = new TreeMap<>();
        code.labels().forEach((name, index) -> {
            if (Operands.NAME.matcher(name).matches()) names.computeIfAbsent(index, k -> new LinkedHashSet<>()).add(name);
        });
        List<Instruction> insns = code.instructions();
        for (int i = 0; i < insns.size(); i++) {
            Target target = targetOf(insns.get(i));
            if (target == null) continue;
            int to = landing(i, target);
            if (to >= 0 && !names.containsKey(to)) names.put(to, new LinkedHashSet<>(List.of(synthesize(to))));
        }
        return names;
    }

    /** "L" and the slot number, the number a bpftool listing shows for that instruction. */
    private String synthesize(int index) {
        String name = "L" + at[index];
        while (code.labels().containsKey(name)) name += "_";
        return name;
    }

    /** How to write a target: a label if it lands on a named place, else the relative offset, else the label as given. */
    static String describe(Target target, int landing, Map<Integer, Set<String>> names, Integer relative) {
        if (landing >= 0 && names.containsKey(landing)) {
            Set<String> candidates = names.get(landing);
            if (target instanceof Target.Label(String name) && candidates.contains(name)) return name;
            return candidates.iterator().next();
        }
        if (relative != null) return relative < 0 ? Integer.toString(relative) : "+" + relative;
        return target.toString();
    }
}
