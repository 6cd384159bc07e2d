package dev.weir.datapath.asm;

import static dev.weir.datapath.asm.Operands.imm32;
import static dev.weir.datapath.asm.Operands.memory;
import static dev.weir.datapath.asm.Operands.register;
import static dev.weir.datapath.asm.Operands.registerOrImm32;
import static dev.weir.datapath.asm.Operands.target;

import dev.weir.datapath.asm.Operands.Memory;
import dev.weir.datapath.isa.*;
import dev.weir.datapath.isa.Instruction.*;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The mnemonics of the corpus syntax, each with its operand count and how its operands become an
 * instruction. {@code lock} and {@code call} are parsed separately: their first words are not
 * comma-separated operands.
 */
final class Mnemonics {
    private Mnemonics() {}

    /** How one mnemonic is written and built. */
    private record Form(int arity, String usage, Function<List<String>, Instruction> build) {}

    private static final Map<String, Form> FORMS = forms();

    /** Parses one instruction, without its comment, label or surrounding blanks. */
    static Instruction parse(String text) {
        String[] head = text.split("\\s+", 2);
        String mnemonic = head[0].toLowerCase(Locale.ROOT);
        String rest = head.length > 1 ? head[1].strip() : "";
        return switch (mnemonic) {
            case "lock" -> lock(rest);
            case "call" -> call(rest);
            case "callx" -> new CallRegister(register(single("callx", "callx %rN", rest)));
            default -> {
                Form form = FORMS.get(mnemonic);
                if (form == null) throw new LineProblem("Invalid mnemonic '" + head[0] + "'");
                List<String> operands = split(rest);
                if (operands.size() != form.arity()) {
                    throw new LineProblem("Invalid number of operands for " + mnemonic + ": expected " + form.arity()
                            + " (" + form.usage() + "), found " + operands.size());
                }
                yield form.build().apply(operands);
            }
        };
    }

    private static List<String> split(String operands) {
        if (operands.isEmpty()) return List.of();
        List<String> parts = Arrays.stream(operands.split(",", -1)).map(String::strip).toList();
        if (parts.contains("")) throw new LineProblem("Empty operand");
        return parts;
    }

    private static String single(String mnemonic, String usage, String rest) {
        List<String> operands = split(rest);
        if (operands.size() != 1) {
            throw new LineProblem("Invalid number of operands for " + mnemonic + ": expected 1 (" + usage + "), found "
                    + operands.size());
        }
        return operands.getFirst();
    }

    /** {@code lock [fetch] add|or|and|xor[32] [mem], %rN}, {@code lock xchg|cmpxchg[32] [mem], %rN}. */
    private static Instruction lock(String rest) {
        String usage = "Invalid number of operands for lock: expected lock [fetch] OP[32] [%rN+off], %rM";
        String[] words = rest.split("\\s+", 2);
        boolean fetch = words[0].equalsIgnoreCase("fetch");
        if (fetch) words = words.length > 1 ? words[1].split("\\s+", 2) : new String[] {""};
        String written = words[0];
        String op = written.toLowerCase(Locale.ROOT);
        if (op.isEmpty()) throw new LineProblem(usage);
        List<String> operands = split(words.length > 1 ? words[1].strip() : "");
        if (operands.size() != 2) throw new LineProblem(usage + ", found " + operands.size() + " operand(s)");

        Size size = Size.DW;
        if (op.endsWith("32")) {
            size = Size.W;
            op = op.substring(0, op.length() - 2);
        } else if (op.endsWith("64")) {
            op = op.substring(0, op.length() - 2);
        }
        AtomicOp atomic = atomicOp(fetch ? "fetch " + op : op);
        if (atomic == null) throw new LineProblem("Invalid atomic operation '" + (fetch ? "fetch " : "") + written + "'");
        Memory mem = memory(operands.get(0));
        return new Atomic(atomic, size, mem.base(), mem.offset(), register(operands.get(1)));
    }

    private static AtomicOp atomicOp(String mnemonic) {
        for (AtomicOp op : AtomicOp.values()) {
            if (op.mnemonic.equals(mnemonic)) return op;
        }
        return null;
    }

    /** {@code call N} (helper), {@code call local TARGET}, {@code call %rN} (callx), {@code call kfunc ID[, OFF]}. */
    private static Instruction call(String rest) {
        String[] words = rest.split("\\s+", 2);
        String kind = words[0].toLowerCase(Locale.ROOT);
        String tail = words.length > 1 ? words[1].strip() : "";
        return switch (kind) {
            case "local" -> new CallLocal(target(single("call local", "call local LABEL", tail), 32));
            case "kfunc" -> {
                List<String> operands = split(tail);
                if (operands.size() < 1 || operands.size() > 2) {
                    throw new LineProblem("Invalid number of operands for call kfunc: expected call kfunc ID[, OFFSET]");
                }
                int offset = operands.size() == 2 ? imm32(operands.get(1)) : 0;
                if (offset != (short) offset) throw new LineProblem("Offset " + offset + " out of 16-bit signed range");
                yield new CallKfunc(imm32(operands.get(0)), (short) offset);
            }
            default -> {
                String operand = single("call", "call N, call local LABEL or call %rN", rest);
                yield operand.startsWith("%") ? new CallRegister(register(operand)) : new CallHelper(imm32(operand));
            }
        };
    }

    private static Map<String, Form> forms() {
        Map<String, Form> forms = new HashMap<>();
        for (AluOp op : AluOp.values()) {
            if (op.isSignExtendingMove()) continue;
            for (String suffix : List.of("", "64", "32")) {
                boolean wide = !suffix.equals("32");
                String name = op.mnemonic + suffix;
                if (op == AluOp.NEG) {
                    forms.put(name, new Form(1, name + " %rN", o -> new Alu(op, wide, register(o.get(0)), new Imm(0))));
                } else {
                    forms.put(name, new Form(2, name + " %rN, %rM|imm",
                            o -> new Alu(op, wide, register(o.get(0)), registerOrImm32(o.get(1)))));
                }
            }
        }
        // movsx<from><to>: sign-extend the low 8, 16 or 32 bits of the source into 32 or 64 bits.
        for (AluOp op : List.of(AluOp.MOVSX8, AluOp.MOVSX16, AluOp.MOVSX32)) {
            for (int to : new int[] {32, 64}) {
                if (op == AluOp.MOVSX32 && to == 32) continue;
                String name = "movsx" + op.offset + to;
                forms.put(name, new Form(2, name + " %rN, %rM",
                        o -> new Alu(op, to == 64, register(o.get(0)), register(o.get(1)))));
            }
        }
        for (int bits : new int[] {16, 32, 64}) {
            endian(forms, "le" + bits, ByteSwap.TO_LE, bits);
            endian(forms, "be" + bits, ByteSwap.TO_BE, bits);
            endian(forms, "bswap" + bits, ByteSwap.BSWAP, bits);
            endian(forms, "swap" + bits, ByteSwap.BSWAP, bits);
        }
        for (JumpOp op : JumpOp.values()) {
            for (String suffix : List.of("", "32")) {
                boolean wide = suffix.isEmpty();
                String name = op.mnemonic + suffix;
                forms.put(name, new Form(3, name + " %rN, %rM|imm, TARGET",
                        o -> new Jump(op, wide, register(o.get(0)), registerOrImm32(o.get(1)), target(o.get(2), 16))));
            }
        }
        forms.put("ja", new Form(1, "ja TARGET", o -> new Goto(target(o.get(0), 16), false)));
        forms.put("ja32", new Form(1, "ja32 TARGET", o -> new Goto(target(o.get(0), 32), true)));
        forms.put("exit", new Form(0, "exit", o -> new Exit()));
        forms.put("lddw", new Form(2, "lddw %rN, imm64",
                o -> new LoadImm64(register(o.get(0)), Operands.imm64Operand(o.get(1)))));
        for (Size size : Size.values()) {
            memoryForms(forms, size);
        }
        return Map.copyOf(forms);
    }

    private static void endian(Map<String, Form> forms, String name, ByteSwap kind, int bits) {
        forms.put(name, new Form(1, name + " %rN", o -> new Endian(kind, bits, register(o.get(0)))));
    }

    private static void memoryForms(Map<String, Form> forms, Size size) {
        String s = size.suffix;
        forms.put("ldx" + s, new Form(2, "ldx" + s + " %rN, [%rM+off]", o -> load(size, o, false)));
        forms.put("st" + s, new Form(2, "st" + s + " [%rN+off], imm", o -> {
            Memory mem = memory(o.get(0));
            return new Store(size, mem.base(), mem.offset(), new Imm(imm32(o.get(1))));
        }));
        forms.put("stx" + s, new Form(2, "stx" + s + " [%rN+off], %rM", o -> {
            Memory mem = memory(o.get(0));
            return new Store(size, mem.base(), mem.offset(), register(o.get(1)));
        }));
        if (size == Size.DW) return;
        forms.put("ldxs" + s, new Form(2, "ldxs" + s + " %rN, [%rM+off]", o -> load(size, o, true)));
        forms.put("ldabs" + s, new Form(1, "ldabs" + s + " imm", o -> new PacketLoad(size, null, imm32(o.get(0)))));
        forms.put("ldind" + s, new Form(2, "ldind" + s + " %rN, imm",
                o -> new PacketLoad(size, register(o.get(0)), imm32(o.get(1)))));
    }

    private static Load load(Size size, List<String> operands, boolean signExtend) {
        Register dst = register(operands.get(0));
        Memory mem = memory(operands.get(1));
        return new Load(size, dst, mem.base(), mem.offset(), signExtend);
    }
}
