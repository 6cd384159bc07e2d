package dev.weir.datapath.isa;

import static dev.weir.datapath.isa.OpClass.*;

import dev.weir.datapath.isa.Instruction.*;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Translation between {@link Instruction} values and the kernel's 8-byte slots. Decoding is strict:
 * every field an instruction does not use must be zero (RFC 9669), so decode(encode(x)) == x and
 * encode(decode(b)) == b for every valid b.
 */
public final class Encoding {
    private Encoding() {}

    // ---------------------------------------------------------------- encoding

    static Bytecode encode(Code code, Function<String, MapRef> maps) {
        List<Instruction> insns = code.instructions();
        int[] at = code.slotPositions();
        byte[] out = new byte[at[insns.size()] * Bytecode.SLOT];
        for (int i = 0; i < insns.size(); i++) {
            Instruction insn = insns.get(i);
            try {
                new SlotWriter(out, at[i], code, at, maps).write(insn);
            } catch (IllegalArgumentException e) {
                throw new BytecodeException(i, insn + ": " + e.getMessage());
            }
        }
        return Bytecode.wrap(out);
    }

    private record SlotWriter(byte[] out, int slot, Code code, int[] at, Function<String, MapRef> maps) {

        void write(Instruction insn) {
            switch (insn) {
                case Alu(AluOp op, boolean wide, Register dst, Source src) -> {
                    int cls = wide ? ALU64 : ALU;
                    switch (src) {
                        case Register r -> put(slot, op.code | X | cls, dst.number(), r.number(), op.offset, 0);
                        case Imm(int v) -> put(slot, op.code | K | cls, dst.number(), 0, op.offset, v);
                    }
                }
                case Endian(ByteSwap kind, int bits, Register dst) -> {
                    int opcode = switch (kind) {
                        case TO_LE -> END | K | ALU;
                        case TO_BE -> END | X | ALU;
                        case BSWAP -> END | K | ALU64;
                    };
                    put(slot, opcode, dst.number(), 0, 0, bits);
                }
                case Jump(JumpOp op, boolean wide, Register dst, Source src, Target target) -> {
                    int cls = wide ? JMP : JMP32;
                    int off = offset16(target);
                    switch (src) {
                        case Register r -> put(slot, op.code | X | cls, dst.number(), r.number(), off, 0);
                        case Imm(int v) -> put(slot, op.code | K | cls, dst.number(), 0, off, v);
                    }
                }
                case Goto(Target target, boolean ja32) -> {
                    if (ja32) put(slot, JA | JMP32, 0, 0, 0, relative(target));
                    else put(slot, JA | JMP, 0, 0, offset16(target), 0);
                }
                case CallHelper(int id) -> put(slot, CALL | JMP, 0, 0, 0, id);
                case CallLocal(Target target) -> put(slot, CALL | JMP, 0, 1, 0, relative(target));
                case CallKfunc(int btfId, short moduleOffset) -> put(slot, CALL | JMP, 0, 2, moduleOffset, btfId);
                case CallRegister(Register r) -> put(slot, CALL | X | JMP, r.number(), 0, 0, 0);
                case Exit() -> put(slot, EXIT | JMP, 0, 0, 0, 0);
                case LoadImm64(Register dst, Imm64 value) -> writeImm64(dst, value);
                case Load(Size size, Register dst, Register base, short offset, boolean signExtend) ->
                    put(slot, LDX | (signExtend ? MODE_MEMSX : MODE_MEM) | size.code, dst.number(), base.number(),
                            offset, 0);
                case Store(Size size, Register base, short offset, Source value) -> {
                    switch (value) {
                        case Register r -> put(slot, STX | MODE_MEM | size.code, base.number(), r.number(), offset, 0);
                        case Imm(int v) -> put(slot, ST | MODE_MEM | size.code, base.number(), 0, offset, v);
                    }
                }
                case Atomic(AtomicOp op, Size size, Register base, short offset, Register value) ->
                    put(slot, STX | MODE_ATOMIC | size.code, base.number(), value.number(), offset, op.imm);
                case PacketLoad(Size size, Register index, int offset) -> {
                    if (index == null) put(slot, LD | MODE_ABS | size.code, 0, 0, 0, offset);
                    else put(slot, LD | MODE_IND | size.code, 0, index.number(), 0, offset);
                }
            }
        }

        private void writeImm64(Register dst, Imm64 value) {
            int opcode = LD | MODE_IMM | Size.DW.code;
            switch (value) {
                case Imm64.Constant(long v) -> pair(opcode, dst, Imm64.SRC_CONSTANT, (int) v, (int) (v >>> 32));
                case Imm64.Map(MapRef map) -> {
                    MapRef m = resolve(map);
                    pair(opcode, dst, m instanceof MapRef.Fd ? Imm64.SRC_MAP_FD : Imm64.SRC_MAP_IDX, mapNumber(m), 0);
                }
                case Imm64.MapValue(MapRef map, int offset) -> {
                    MapRef m = resolve(map);
                    pair(opcode, dst, m instanceof MapRef.Fd ? Imm64.SRC_MAP_VALUE : Imm64.SRC_MAP_IDX_VALUE,
                            mapNumber(m), offset);
                }
                case Imm64.BtfId(int id, int moduleFd) -> pair(opcode, dst, Imm64.SRC_BTF_ID, id, moduleFd);
                case Imm64.Function(Target target) -> pair(opcode, dst, Imm64.SRC_FUNC, relative(target), 0);
            }
        }

        private MapRef resolve(MapRef ref) {
            if (!(ref instanceof MapRef.Named(String name))) return ref;
            MapRef resolved = maps.apply(name);
            if (resolved == null || resolved instanceof MapRef.Named) {
                throw new IllegalArgumentException("map '" + name + "' is not defined");
            }
            return resolved;
        }

        private static int mapNumber(MapRef ref) {
            return switch (ref) {
                case MapRef.Fd(int fd) -> fd;
                case MapRef.Index(int index) -> index;
                case MapRef.Named n -> throw new AssertionError(n);
            };
        }

        private void pair(int opcode, Register dst, int src, int lo, int hi) {
            put(slot, opcode, dst.number(), src, 0, lo);
            put(slot + 1, 0, 0, 0, 0, hi);
        }

        /** Offset in slots from the next slot to the target. */
        private int relative(Target target) {
            return switch (target) {
                case Target.Relative(int slots) -> slots;
                case Target.Label(String name) -> {
                    Integer index = code.labels().get(name);
                    if (index == null) throw new IllegalArgumentException("label '" + name + "' is not defined");
                    yield at[index] - (slot + 1);
                }
            };
        }

        private int offset16(Target target) {
            int rel = relative(target);
            if (rel < Short.MIN_VALUE || rel > Short.MAX_VALUE) {
                throw new IllegalArgumentException("jump to " + target + " spans " + rel
                        + " slots, more than a 16-bit offset holds (use ja32)");
            }
            return rel;
        }

        private void put(int s, int opcode, int dst, int src, int off, int imm) {
            int p = s * Bytecode.SLOT;
            out[p] = (byte) opcode;
            out[p + 1] = (byte) ((src << 4) | dst);
            out[p + 2] = (byte) off;
            out[p + 3] = (byte) (off >> 8);
            out[p + 4] = (byte) imm;
            out[p + 5] = (byte) (imm >> 8);
            out[p + 6] = (byte) (imm >> 16);
            out[p + 7] = (byte) (imm >> 24);
        }
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes every slot; jump targets come out as {@link Target.Relative} offsets. */
    public static Code decode(Bytecode code) {
        List<Instruction> out = new ArrayList<>();
        int n = code.slotCount();
        for (int pc = 0; pc < n; ) {
            Instruction insn = decodeAt(code, pc);
            out.add(insn);
            pc += insn.slots();
        }
        return Code.of(out);
    }

    /** Decodes the instruction starting at a slot. */
    public static Instruction decodeAt(Bytecode code, int pc) {
        return new SlotReader(code, pc).read();
    }

    private record SlotReader(Bytecode code, int pc, int opcode, int dst, int src, short off, int imm) {
        SlotReader(Bytecode code, int pc) {
            this(code, pc, code.opcode(pc), code.dst(pc), code.src(pc), code.offset(pc), code.imm(pc));
        }

        Instruction read() {
            return switch (OpClass.of(opcode)) {
                case ALU, ALU64 -> alu();
                case JMP, JMP32 -> jump();
                case LD -> ld();
                case LDX -> ldx();
                case ST -> st();
                case STX -> stx();
                default -> throw new AssertionError();
            };
        }

        private Instruction alu() {
            boolean wide = OpClass.of(opcode) == ALU64;
            boolean x = (opcode & X) != 0;
            int code = opcode & 0xf0;
            Register d = reg(dst, "destination");
            if (code == END) {
                if (src != 0 || off != 0) invalid("byte swap uses neither source register nor offset");
                if (imm != 16 && imm != 32 && imm != 64) invalid("byte swap width " + imm + " is not 16, 32 or 64");
                if (wide && x) invalid("unknown opcode");
                ByteSwap kind = wide ? ByteSwap.BSWAP : x ? ByteSwap.TO_BE : ByteSwap.TO_LE;
                return new Endian(kind, imm, d);
            }
            AluOp op = AluOp.of(code, off);
            if (op == null) {
                if (AluOp.of(code, 0) == null) invalid("unknown opcode");
                invalid("offset " + off + " is not valid for " + AluOp.of(code, 0).mnemonic);
            }
            if (op == AluOp.NEG) {
                if (x || src != 0 || imm != 0) invalid("neg uses neither source register nor immediate");
                return new Alu(op, wide, d, new Imm(0));
            }
            if (op.isSignExtendingMove() && (!x || (op == AluOp.MOVSX32 && !wide))) invalid("invalid sign-extending move");
            if (x) {
                if (imm != 0) invalid("register-source instruction has a non-zero immediate");
                return new Alu(op, wide, d, reg(src, "source"));
            }
            if (src != 0) invalid("immediate-source instruction has a non-zero source register");
            return new Alu(op, wide, d, new Imm(imm));
        }

        private Instruction jump() {
            boolean wide = OpClass.of(opcode) == JMP;
            boolean x = (opcode & X) != 0;
            int code = opcode & 0xf0;
            switch (code) {
                case JA -> {
                    if (x || dst != 0 || src != 0) invalid("ja uses no registers");
                    if (wide) {
                        if (imm != 0) invalid("ja has a non-zero immediate (ja32 is in the JMP32 class)");
                        return new Goto(new Target.Relative(off), false);
                    }
                    if (off != 0) invalid("ja32 has a non-zero offset");
                    return new Goto(new Target.Relative(imm), true);
                }
                case CALL -> {
                    if (!wide) invalid("unknown opcode");
                    if (x) {
                        if (src != 0 || off != 0 || imm != 0) invalid("callx uses only its register");
                        return new CallRegister(reg(dst, "call target"));
                    }
                    if (dst != 0) invalid("call has a non-zero destination register");
                    return switch (src) {
                        case 0 -> {
                            if (off != 0) invalid("helper call has a non-zero offset");
                            yield new CallHelper(imm);
                        }
                        case 1 -> {
                            if (off != 0) invalid("local call has a non-zero offset");
                            yield new CallLocal(new Target.Relative(imm));
                        }
                        case 2 -> new CallKfunc(imm, off);
                        default -> throw invalid("call has unknown source kind " + src);
                    };
                }
                case EXIT -> {
                    if (!wide || x) invalid("unknown opcode");
                    if (dst != 0 || src != 0 || off != 0 || imm != 0) invalid("exit has non-zero fields");
                    return new Exit();
                }
                default -> {
                    JumpOp op = JumpOp.of(code);
                    if (op == null) invalid("unknown opcode");
                    Register d = reg(dst, "destination");
                    Target t = new Target.Relative(off);
                    if (x) {
                        if (imm != 0) invalid("register-source jump has a non-zero immediate");
                        return new Jump(op, wide, d, reg(src, "source"), t);
                    }
                    if (src != 0) invalid("immediate-source jump has a non-zero source register");
                    return new Jump(op, wide, d, new Imm(imm), t);
                }
            }
        }

        private Instruction ld() {
            int mode = opcode & 0xe0;
            Size size = Size.ofCode(opcode);
            if (mode == MODE_IMM && size == Size.DW) return imm64();
            if ((mode == MODE_ABS || mode == MODE_IND) && size != Size.DW) {
                if (dst != 0 || off != 0) invalid("legacy packet load has a non-zero destination or offset");
                if (mode == MODE_ABS) {
                    if (src != 0) invalid("absolute packet load has a source register");
                    return new PacketLoad(size, null, imm);
                }
                return new PacketLoad(size, reg(src, "index"), imm);
            }
            throw invalid("unknown opcode");
        }

        private Instruction imm64() {
            Register d = reg(dst, "destination");
            if (off != 0) invalid("lddw has a non-zero offset");
            if (pc + 1 >= code.slotCount()) invalid("lddw is missing its second slot");
            int n = pc + 1;
            if (code.opcode(n) != 0 || code.dst(n) != 0 || code.src(n) != 0 || code.offset(n) != 0) {
                invalid("the second slot of lddw must have only an immediate");
            }
            int hi = code.imm(n);
            Imm64 value = switch (src) {
                case Imm64.SRC_CONSTANT -> new Imm64.Constant((imm & 0xffffffffL) | ((long) hi << 32));
                case Imm64.SRC_MAP_FD -> new Imm64.Map(new MapRef.Fd(imm));
                case Imm64.SRC_MAP_VALUE -> new Imm64.MapValue(new MapRef.Fd(imm), hi);
                case Imm64.SRC_BTF_ID -> new Imm64.BtfId(imm, hi);
                case Imm64.SRC_FUNC -> new Imm64.Function(new Target.Relative(imm));
                case Imm64.SRC_MAP_IDX -> new Imm64.Map(new MapRef.Index(imm));
                case Imm64.SRC_MAP_IDX_VALUE -> new Imm64.MapValue(new MapRef.Index(imm), hi);
                default -> throw invalid("lddw has unknown source kind " + src);
            };
            boolean usesHigh = value instanceof Imm64.Constant || value instanceof Imm64.MapValue
                    || value instanceof Imm64.BtfId;
            if (!usesHigh && hi != 0) invalid("the second slot of lddw must be zero for this kind");
            return new LoadImm64(d, value);
        }

        private Instruction ldx() {
            int mode = opcode & 0xe0;
            Size size = Size.ofCode(opcode);
            if (imm != 0) invalid("load has a non-zero immediate");
            if (mode == MODE_MEM) return new Load(size, reg(dst, "destination"), reg(src, "base"), off, false);
            if (mode == MODE_MEMSX && size != Size.DW) {
                return new Load(size, reg(dst, "destination"), reg(src, "base"), off, true);
            }
            throw invalid("unknown opcode");
        }

        private Instruction st() {
            if ((opcode & 0xe0) != MODE_MEM) invalid("unknown opcode");
            if (src != 0) invalid("immediate store has a non-zero source register");
            return new Store(Size.ofCode(opcode), reg(dst, "base"), off, new Imm(imm));
        }

        private Instruction stx() {
            int mode = opcode & 0xe0;
            Size size = Size.ofCode(opcode);
            if (mode == MODE_MEM) {
                if (imm != 0) invalid("register store has a non-zero immediate");
                return new Store(size, reg(dst, "base"), off, reg(src, "source"));
            }
            if (mode == MODE_ATOMIC && (size == Size.W || size == Size.DW)) {
                AtomicOp op = AtomicOp.of(imm);
                if (op == null) invalid("unknown atomic operation 0x" + Integer.toHexString(imm));
                return new Atomic(op, size, reg(dst, "base"), off, reg(src, "source"));
            }
            throw invalid("unknown opcode");
        }

        private Register reg(int number, String role) {
            if (number > 10) invalid(role + " register r" + number + " does not exist");
            return Register.of(number);
        }

        private BytecodeException invalid(String message) {
            throw new BytecodeException(pc, message + " (opcode 0x" + String.format("%02x", opcode) + ")");
        }
    }
}
