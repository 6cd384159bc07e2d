package dev.weir.datapath.asm;

import dev.weir.datapath.isa.Bytecode;
import dev.weir.datapath.isa.BytecodeException;
import dev.weir.datapath.isa.Code;
import dev.weir.datapath.isa.Instruction;
import dev.weir.datapath.isa.Instruction.Exit;
import dev.weir.datapath.isa.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Assembles the text syntax of the bpf_conformance and uBPF test corpora into {@link Code}:
 *
 * <pre>
 * # comment
 * mov %r0, 0                  # 64-bit ALU; add32, mov32, ... are 32-bit
 * ldxw %r2, [%r1+4]
 * jeq %r2, 0x10, done         # or +N / -N slots
 * lock fetch add [%r10-8], %r1
 * done:
 * exit
 * </pre>
 *
 * As in bpf_conformance, a jump to the label {@code exit} that no line defines goes to the first
 * {@code exit} instruction. Every error is an {@link AssemblyException} naming the line.
 */
public final class TextAssembler {
    private TextAssembler() {}

    private static final Pattern LABEL_LINE = Pattern.compile("(" + Operands.NAME.pattern() + ")\\s*:\\s*(.*)");

    /** Parses assembly text whose first line is line 1. */
    public static Code parse(String source) {
        return parse(source, null, 1);
    }

    /**
     * Parses assembly text taken from a larger file: errors name {@code sourceName} (may be null) and
     * count lines from {@code firstLineNumber}.
     */
    public static Code parse(String source, String sourceName, int firstLineNumber) {
        return new Listing(sourceName).read(source, firstLineNumber).code();
    }

    /** Parses and encodes; fails for code naming maps symbolically (encode such Code with a resolver). */
    public static Bytecode assemble(String source) {
        return assemble(source, null, 1);
    }

    public static Bytecode assemble(String source, String sourceName, int firstLineNumber) {
        Listing listing = new Listing(sourceName).read(source, firstLineNumber);
        Code code = listing.code();
        try {
            return code.encode();
        } catch (BytecodeException e) {
            // Encoding numbers instructions as the listing does: a jump too far for 16 bits, a named map.
            if (e.pc() < 0 || e.pc() >= code.instructions().size()) throw e;
            throw listing.error(e.pc(), e.getMessage());
        }
    }

    /** The instructions and labels read so far, with the line each instruction came from. */
    private static final class Listing {
        private final String sourceName;
        private final List<Instruction> instructions = new ArrayList<>();
        private final List<Integer> lineNumbers = new ArrayList<>();
        private final List<String> lineTexts = new ArrayList<>();
        private final Map<String, Integer> labels = new LinkedHashMap<>();
        private final Map<String, Integer> labelLines = new LinkedHashMap<>();

        Listing(String sourceName) {
            this.sourceName = sourceName;
        }

        Listing read(String source, int firstLineNumber) {
            String[] lines = source.split("\\R", -1);
            for (int i = 0; i < lines.length; i++) {
                int lineNumber = firstLineNumber + i;
                String text = withoutComment(lines[i]).strip();
                try {
                    Matcher label = LABEL_LINE.matcher(text);
                    if (label.matches()) {
                        define(label.group(1), lineNumber);
                        text = label.group(2);
                    }
                    if (text.isEmpty()) continue;
                    instructions.add(parseInstruction(text));
                    lineNumbers.add(lineNumber);
                    lineTexts.add(lines[i].strip());
                } catch (LineProblem problem) {
                    throw new AssemblyException(sourceName, lineNumber, lines[i].strip(), problem.getMessage());
                }
            }
            bindImplicitExit();
            checkLabelsDefined();
            return this;
        }

        Code code() {
            return new Code(instructions, labels);
        }

        AssemblyException error(int index, String problem) {
            return new AssemblyException(sourceName, lineNumbers.get(index), lineTexts.get(index), problem);
        }

        private static String withoutComment(String line) {
            int hash = line.indexOf('#');
            return hash < 0 ? line : line.substring(0, hash);
        }

        private static Instruction parseInstruction(String text) {
            try {
                return Mnemonics.parse(text);
            } catch (IllegalArgumentException e) {
                // An instruction record refused the combination (e.g. movsx32 in 32-bit form).
                throw new LineProblem("Invalid instruction: " + e.getMessage());
            }
        }

        private void define(String name, int lineNumber) {
            Integer previous = labelLines.putIfAbsent(name, lineNumber);
            if (previous != null) {
                throw new LineProblem("Duplicate label '" + name + "' (first defined at line " + previous + ")");
            }
            labels.put(name, instructions.size());
        }

        /** bpf_conformance lets code jump to "exit" without defining it: the first exit instruction. */
        private void bindImplicitExit() {
            if (labels.containsKey("exit") || !referencedLabels().contains("exit")) return;
            for (int i = 0; i < instructions.size(); i++) {
                if (instructions.get(i) instanceof Exit) {
                    labels.put("exit", i);
                    return;
                }
            }
        }

        private List<String> referencedLabels() {
            List<String> names = new ArrayList<>();
            for (Instruction insn : instructions) {
                if (JumpTargets.targetOf(insn) instanceof Target.Label(String name)) names.add(name);
            }
            return names;
        }

        private void checkLabelsDefined() {
            for (int i = 0; i < instructions.size(); i++) {
                if (JumpTargets.targetOf(instructions.get(i)) instanceof Target.Label(String name)
                        && !labels.containsKey(name)) {
                    throw error(i, "Invalid label '" + name + "': not defined");
                }
            }
        }
    }
}
