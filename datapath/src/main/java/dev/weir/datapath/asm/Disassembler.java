package dev.weir.datapath.asm;

import dev.weir.datapath.isa.*;
import dev.weir.datapath.isa.Instruction.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns eBPF back into text, in two styles:
 * <ul>
 * <li>for humans, as {@code bpftool prog dump xlated} prints it (the kernel's disasm.c):
 *     {@code    4: (61) r2 = *(u32 *)(r1 +4)}, {@code w} registers for 32-bit operations,
 *     {@code goto pc+N} jumps, helper names, and map names where the code still has them;</li>
 * <li>in the corpus syntax ({@link #toAssembly}), which {@link TextAssembler} reads back to the same bytes.</li>
 * </ul>
 */
public final class Disassembler {
    private Disassembler() {}

    /** bpftool-style listing of encoded code. */
    public static String disassemble(Bytecode bytecode) {
        return disassemble(Encoding.decode(bytecode));
    }

    /** bpftool-style listing, one line per instruction, without labels. */
    public static String disassemble(Code code) {
        return disassemble(code, false);
    }

    /**
     * bpftool-style listing; with {@code labels}, a {@code name:} line precedes every jump target
     * (the code's labels or synthesized {@code L<slot>}) and jumps name it: {@code goto pc+3 <done>}.
     */
    public static String disassemble(Code code, boolean labels) {
        StringBuilder out = new StringBuilder();
        new Listing(code, labels).forEachLine(line -> out.append(line).append('\n'));
        return out.toString();
    }

    /** The bpftool-style line of each instruction, {@code "%4d: (%02x) ..."} with the slot index. */
    public static List<String> lines(Code code) {
        List<String> lines = new ArrayList<>();
        Listing listing = new Listing(code, false);
        for (int i = 0; i < code.instructions().size(); i++) lines.add(listing.line(i));
        return lines;
    }

    /** One instruction, bpftool style, without slot index: {@code (bf) r6 = r1}. Labels print as {@code <name>}. */
    public static String format(Instruction insn) {
        Code alone = Code.of(List.of(insn));
        return new Listing(alone, false).body(0);
    }

    /** The corpus syntax; {@code TextAssembler.parse(toAssembly(code))} encodes to the same bytes. */
    public static String toAssembly(Code code) {
        return new AsmWriter(code).write();
    }

    public static String toAssembly(Bytecode bytecode) {
        return toAssembly(Encoding.decode(bytecode));
    }

    /** Formats the instructions of one Code, knowing where its jumps land. */
    private static final class Listing {
        private final Code code;
        private final JumpTargets targets;
        private final TreeMap<Integer, Set<String>> labels;

        Listing(Code code, boolean withLabels) {
            this.code = code;
            this.targets = new JumpTargets(code);
            this.labels = withLabels ? targets.labelNames() : new TreeMap<>();
        }

        void forEachLine(Consumer<String> sink) {
            List<Instruction> insns = code.instructions();
            for (int i = 0; i <= insns.size(); i++) {
                for (String label : labels.getOrDefault(i, Set.of())) sink.accept(label + ":");
                if (i < insns.size()) sink.accept(line(i));
            }
        }

        String line(int index) {
            return String.format("%4d: %s", targets.slotOf(index), body(index));
        }

        String body(int index) {
            Instruction insn = code.instructions().get(index);
            return String.format("(%02x) %s", Opcodes.of(insn), text(index, insn));
        }

        private String text(int index, Instruction insn) {
            return switch (insn) {
                case Alu(AluOp op, boolean wide, Register dst, Source src) -> alu(op, wide, dst, src);
                case Endian(ByteSwap kind, int bits, Register dst) -> dst + " = " + switch (kind) {
                    case TO_LE -> "le";
                    case TO_BE -> "be";
                    case BSWAP -> "bswap";
                } + bits + " " + dst;
                case Jump(JumpOp op, boolean wide, Register dst, Source src, Target target) -> {
                    char p = wide ? 'r' : 'w';
                    String right = switch (src) {
                        case Register r -> p + Integer.toString(r.number());
                        case Imm(int v) -> "0x" + Integer.toHexString(v);
                    };
                    yield "if " + p + dst.number() + " " + op.operator + " " + right + " goto " + pc(index, target);
                }
                case Goto(Target target, boolean ja32) -> (ja32 ? "gotol " : "goto ") + pc(index, target);
                case CallHelper(int id) -> {
                    Helper helper = Helper.of(id);
                    yield "call " + (helper == null ? "unknown" : helper.kernelName()) + "#" + id;
                }
                case CallLocal(Target target) -> "call " + pc(index, target);
                case CallKfunc(int btfId, short moduleOffset) -> "call kernel-function#" + btfId;
                case CallRegister(Register register) -> "callx " + register;
                case Exit() -> "exit";
                case LoadImm64(Register dst, Imm64 value) -> dst + " = " + imm64(index, value);
                case Load(Size size, Register dst, Register base, short offset, boolean signExtend) ->
                    dst + " = *(" + (signExtend ? "s" + size.cType.substring(1) : size.cType) + " *)" + mem(base, offset);
                case Store(Size size, Register base, short offset, Source value) ->
                    "*(" + size.cType + " *)" + mem(base, offset) + " = " + switch (value) {
                        case Register r -> r.toString();
                        case Imm(int v) -> Integer.toString(v);
                    };
                case Atomic(AtomicOp op, Size size, Register base, short offset, Register value) ->
                    atomic(op, size, base, offset, value);
                case PacketLoad(Size size, Register packetIndex, int offset) -> "r0 = *(" + size.cType + " *)skb["
                        + (packetIndex == null ? "" : packetIndex + " + ") + offset + "]";
            };
        }

        private static String alu(AluOp op, boolean wide, Register dst, Source src) {
            char p = wide ? 'r' : 'w';
            String d = p + Integer.toString(dst.number());
            if (op == AluOp.NEG) return d + " = -" + d;
            String right = switch (src) {
                case Register r -> p + Integer.toString(r.number());
                case Imm(int v) -> Integer.toString(v);
            };
            // The operator of a sign-extending move carries its cast: "= (s8)", printed as "r1 = (s8)r2".
            if (op.isSignExtendingMove()) return d + " " + op.operator + right;
            return d + " " + op.operator + " " + right;
        }

        private static String atomic(AtomicOp op, Size size, Register base, short offset, Register value) {
            String pointer = "(" + size.cType + " *)" + mem(base, offset);
            String width = size == Size.DW ? "64" : "";
            return switch (op) {
                case ADD -> "lock *" + pointer + " += " + value;
                case OR -> "lock *" + pointer + " |= " + value;
                case AND -> "lock *" + pointer + " &= " + value;
                case XOR -> "lock *" + pointer + " ^= " + value;
                case FETCH_ADD, FETCH_OR, FETCH_AND, FETCH_XOR ->
                    value + " = atomic" + width + "_fetch_" + op.mnemonic.substring("fetch ".length()) + "(" + pointer
                            + ", " + value + ")";
                case XCHG -> value + " = atomic" + width + "_xchg(" + pointer + ", " + value + ")";
                case CMPXCHG -> "r0 = atomic" + width + "_cmpxchg(" + pointer + ", r0, " + value + ")";
            };
        }

        private String imm64(int index, Imm64 value) {
            return switch (value) {
                case Imm64.Constant(long v) -> "0x" + Long.toHexString(v);
                case Imm64.Map(MapRef map) -> mapName(map);
                case Imm64.MapValue(MapRef map, int offset) -> mapName(map)
                        + (map instanceof MapRef.Index ? "" : "[0]") + (offset < 0 ? "" : "+") + offset;
                case Imm64.BtfId(int id, int moduleFd) -> "btf_id[" + id + (moduleFd != 0 ? ":" + moduleFd : "") + "]";
                case Imm64.Function(Target target) -> {
                    String pc = pc(index, target);
                    yield "subprog[" + (pc.startsWith("pc") ? pc.substring(2) : pc) + "]";
                }
            };
        }

        private static String mapName(MapRef map) {
            return switch (map) {
                case MapRef.Named(String name) -> "map[" + name + "]";
                case MapRef.Fd f -> f.toString();
                case MapRef.Index x -> x.toString();
            };
        }

        private static String mem(Register base, short offset) {
            return "(" + base + " " + (offset < 0 ? "" : "+") + offset + ")";
        }

        /** "pc+3", "pc-1", with " <label>" when listing labels; "<name>" for a label that is not defined. */
        private String pc(int index, Target target) {
            Integer rel = targets.relative(index, target);
            if (rel == null) return "<" + target + ">";
            String text = "pc" + (rel < 0 ? "" : "+") + rel;
            int landing = targets.landing(index, target);
            if (landing >= 0 && labels.containsKey(landing)) {
                text += " <" + JumpTargets.describe(target, landing, labels, rel) + ">";
            }
            return text;
        }
    }
}
