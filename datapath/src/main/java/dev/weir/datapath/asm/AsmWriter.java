package dev.weir.datapath.asm;

import dev.weir.datapath.isa.*;
import dev.weir.datapath.isa.Instruction.*;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes {@link Code} in the corpus syntax that {@link TextAssembler} reads, so that
 * {@code TextAssembler.parse(text).encode()} gives back the same bytes. Jump targets become labels
 * (the code's own, or synthesized {@code L<slot>}); targets that land nowhere stay {@code +N}/{@code -N}.
 */
final class AsmWriter {
    private final Code code;
    private final JumpTargets targets;
    private final TreeMap<Integer, Set<String>> labels;

    AsmWriter(Code code) {
        this.code = code;
        this.targets = new JumpTargets(code);
        this.labels = targets.labelNames();
    }

    String write() {
        StringBuilder out = new StringBuilder();
        List<Instruction> insns = code.instructions();
        for (int i = 0; i <= insns.size(); i++) {
            for (String label : labels.getOrDefault(i, Set.of())) out.append(label).append(":\n");
            if (i < insns.size()) out.append(line(i, insns.get(i))).append('\n');
        }
        return out.toString();
    }

    private String line(int index, Instruction insn) {
        return switch (insn) {
            case Alu(AluOp op, boolean wide, Register dst, Source src) -> {
                if (op == AluOp.NEG) yield (wide ? "neg " : "neg32 ") + reg(dst);
                if (op.isSignExtendingMove()) yield "movsx" + op.offset + (wide ? "64 " : "32 ") + reg(dst) + ", " + source(src);
                yield op.mnemonic + (wide ? " " : "32 ") + reg(dst) + ", " + source(src);
            }
            case Endian(ByteSwap kind, int bits, Register dst) -> swapName(kind) + bits + " " + reg(dst);
            case Jump(JumpOp op, boolean wide, Register dst, Source src, Target target) ->
                op.mnemonic + (wide ? " " : "32 ") + reg(dst) + ", " + source(src) + ", " + target(index, target);
            case Goto(Target target, boolean ja32) -> (ja32 ? "ja32 " : "ja ") + target(index, target);
            case CallHelper(int id) -> "call " + id;
            case CallLocal(Target target) -> "call local " + target(index, target);
            case CallKfunc(int btfId, short moduleOffset) -> "call kfunc " + btfId + (moduleOffset != 0 ? ", " + moduleOffset : "");
            case CallRegister(Register register) -> "call " + reg(register);
            case Exit() -> "exit";
            case LoadImm64(Register dst, Imm64 value) -> "lddw " + reg(dst) + ", " + imm64(index, value);
            case Load(Size size, Register dst, Register base, short offset, boolean signExtend) ->
                "ldx" + (signExtend ? "s" : "") + size.suffix + " " + reg(dst) + ", " + mem(base, offset);
            case Store(Size size, Register base, short offset, Register value) ->
                "stx" + size.suffix + " " + mem(base, offset) + ", " + reg(value);
            case Store(Size size, Register base, short offset, Imm value) ->
                "st" + size.suffix + " " + mem(base, offset) + ", " + value.value();
            case Atomic(AtomicOp op, Size size, Register base, short offset, Register value) ->
                "lock " + op.mnemonic + (size == Size.W ? "32 " : " ") + mem(base, offset) + ", " + reg(value);
            case PacketLoad(Size size, Register packetIndex, int offset) -> packetIndex == null
                    ? "ldabs" + size.suffix + " " + offset
                    : "ldind" + size.suffix + " " + reg(packetIndex) + ", " + offset;
        };
    }

    private String target(int index, Target target) {
        return JumpTargets.describe(target, targets.landing(index, target), labels, targets.relative(index, target));
    }

    private String imm64(int index, Imm64 value) {
        return switch (value) {
            case Imm64.Constant(long v) -> "0x" + Long.toHexString(v);
            case Imm64.Map(MapRef map) -> "map[" + mapRef(map) + "]";
            case Imm64.MapValue(MapRef map, int offset) -> "map_value[" + mapRef(map) + "]" + (offset < 0 ? "" : "+") + offset;
            case Imm64.BtfId(int id, int moduleFd) -> "btf_id[" + id + ":" + moduleFd + "]";
            case Imm64.Function(Target target) -> "subprog[" + target(index, target) + "]";
        };
    }

    private static String mapRef(MapRef ref) {
        return switch (ref) {
            case MapRef.Named(String name) -> {
                if (!Operands.NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("map name '" + name + "' cannot be written in assembly");
                }
                yield name;
            }
            case MapRef.Fd(int fd) -> "fd:" + fd;
            case MapRef.Index(int idx) -> "idx:" + idx;
        };
    }

    static String reg(Register r) {
        return "%r" + r.number();
    }

    private static String source(Source src) {
        return switch (src) {
            case Register r -> reg(r);
            case Imm(int v) -> Integer.toString(v);
        };
    }

    private static String mem(Register base, short offset) {
        if (offset == 0) return "[" + reg(base) + "]";
        return "[" + reg(base) + (offset < 0 ? "" : "+") + offset + "]";
    }

    private static String swapName(ByteSwap kind) {
        return switch (kind) {
            case TO_LE -> "le";
            case TO_BE -> "be";
            case BSWAP -> "bswap";
        };
    }
}
