package dev.weir.compiler.codegen;

import dev.weir.datapath.isa.Code;
import dev.weir.datapath.isa.Instruction;
import dev.weir.datapath.isa.Target;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Removes instructions no path reaches. The kernel refuses a program with unreachable instructions, and the
 * generator writes every verdict tail and label it might need; this pass keeps the ones a plan uses.
 * Works on symbolic code whose jumps all name labels.
 */
final class DeadCode {

    private DeadCode() {}

    static Code strip(Code code) {
        var instructions = code.instructions();
        BitSet reached = new BitSet(instructions.size());
        var work = new ArrayDeque<Integer>();
        work.push(0);
        while (!work.isEmpty()) {
            int at = work.pop();
            if (at >= instructions.size() || reached.get(at)) continue;
            reached.set(at);
            switch (instructions.get(at)) {
                case Instruction.Exit exit -> { }
                case Instruction.Goto jump -> work.push(target(code, jump.target()));
                case Instruction.Jump jump -> {
                    work.push(target(code, jump.target()));
                    work.push(at + 1);
                }
                case Instruction.CallLocal call -> {
                    work.push(target(code, call.target()));
                    work.push(at + 1);
                }
                default -> work.push(at + 1);
            }
        }
        var kept = new ArrayList<Instruction>();
        int[] newIndex = new int[instructions.size() + 1];
        for (int i = 0; i < instructions.size(); i++) {
            newIndex[i] = kept.size();
            if (reached.get(i)) kept.add(instructions.get(i));
        }
        newIndex[instructions.size()] = kept.size();
        Map<String, Integer> labels = new LinkedHashMap<>();
        code.labels().forEach((name, index) -> {
            if (index < instructions.size() && reached.get(index)) labels.put(name, newIndex[index]);
        });
        return new Code(kept, labels);
    }

    private static int target(Code code, Target target) {
        if (!(target instanceof Target.Label label)) {
            throw new IllegalArgumentException("expected symbolic jumps, got " + target);
        }
        Integer index = code.labels().get(label.name());
        if (index == null) throw new IllegalArgumentException("no label " + label.name());
        return index;
    }
}
