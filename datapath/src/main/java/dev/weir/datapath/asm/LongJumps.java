package dev.weir.datapath.asm;

import dev.weir.datapath.isa.Code;
import dev.weir.datapath.isa.Instruction;
import dev.weir.datapath.isa.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Branch relaxation: conditional jumps and 16-bit {@code ja} reach only 32,767 slots, so a jump to a label
 * further away is rewritten as the same test over a {@code gotol} (whose offset has 32 bits):
 * <pre>
 *   if dst OP src goto +1   ; taken: to the gotol
 *   goto +1                 ; not taken: past it
 *   gotol target
 * </pre>
 * A far {@code ja} becomes a {@code gotol}. Rewriting moves code, which may push other jumps out of reach,
 * so it repeats until every jump fits (each round only grows distances, so it ends). Code whose jumps reach
 * every label already comes back unchanged. Only jumps that name labels are rewritten; a relative jump that
 * an insertion would cross is refused, since its offset would no longer say where it went.
 */
public final class LongJumps {

    private LongJumps() {}

    public static Code relax(Code code) {
        var far = farJumps(code);
        if (far.isEmpty()) return code;
        refuseRelativeJumps(code); // the triples written below are relative, but only within themselves
        Code current = code;
        while (!far.isEmpty()) {
            current = rewrite(current, far);
            far = farJumps(current);
        }
        return current;
    }

    private static java.util.BitSet farJumps(Code code) {
        int[] at = code.slotPositions();
        var far = new java.util.BitSet();
        var instructions = code.instructions();
        for (int i = 0; i < instructions.size(); i++) {
            Target target = switch (instructions.get(i)) {
                case Instruction.Jump jump -> jump.target();
                case Instruction.Goto jump when !jump.ja32() -> jump.target();
                default -> null;
            };
            if (target instanceof Target.Label(String name)) {
                Integer index = code.labels().get(name);
                if (index == null) throw new IllegalArgumentException("label '" + name + "' is not defined");
                int rel = at[index] - (at[i] + 1);
                if (rel < Short.MIN_VALUE || rel > Short.MAX_VALUE) far.set(i);
            }
        }
        return far;
    }

    private static void refuseRelativeJumps(Code code) {
        for (Instruction instruction : code.instructions()) {
            Target target = switch (instruction) {
                case Instruction.Jump jump -> jump.target();
                case Instruction.Goto jump -> jump.target();
                case Instruction.CallLocal call -> call.target();
                default -> null;
            };
            if (target instanceof Target.Relative) {
                throw new IllegalArgumentException("code with relative jumps cannot have far jumps rewritten: name every target with a label");
            }
        }
    }

    private static Code rewrite(Code code, java.util.BitSet far) {
        var instructions = code.instructions();
        var out = new ArrayList<Instruction>(instructions.size() + 3 * far.cardinality());
        int[] moved = new int[instructions.size() + 1];
        for (int i = 0; i < instructions.size(); i++) {
            moved[i] = out.size();
            Instruction instruction = instructions.get(i);
            if (!far.get(i)) {
                out.add(instruction);
            } else if (instruction instanceof Instruction.Jump jump) {
                out.add(new Instruction.Jump(jump.op(), jump.wide(), jump.dst(), jump.src(), Target.relative(1)));
                out.add(new Instruction.Goto(Target.relative(1), false));
                out.add(new Instruction.Goto(jump.target(), true));
            } else {
                out.add(new Instruction.Goto(((Instruction.Goto) instruction).target(), true));
            }
        }
        moved[instructions.size()] = out.size();
        Map<String, Integer> labels = new LinkedHashMap<>();
        code.labels().forEach((name, index) -> labels.put(name, moved[index]));
        return new Code(out, labels);
    }
}
