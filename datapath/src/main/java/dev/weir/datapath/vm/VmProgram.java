package dev.weir.datapath.vm;

import dev.weir.datapath.isa.*;
import dev.weir.datapath.isa.Instruction.*;
import dev.weir.datapath.maps.MapType;
import dev.weir.datapath.maps.MemoryMap;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A program accepted by the interpreter: the exact bytecode the kernel would load, checked once
 * and pre-decoded into flat arrays for the dispatch loop. Maps are referenced by index
 * (BPF_PSEUDO_MAP_IDX, as with the kernel's fd_array), so the same bytes load into both.
 */
public final class VmProgram {
    /** The kernel's limit on instructions for privileged programs (BPF_COMPLEXITY_LIMIT_INSNS). */
    public static final int MAX_INSTRUCTIONS = 1_000_000;

    private final String name;
    private final ProgramType type;
    private final Bytecode bytecode;
    private final List<MemoryMap> maps;
    /** Per slot: opcode | dst << 8 | src << 12 | offset << 16. */
    final int[] insn;
    /** Per slot: the sign-extended immediate, or for lddw the whole 64-bit value (second slot: its high imm). */
    final long[] imm;

    private VmProgram(String name, ProgramType type, Bytecode bytecode, List<MemoryMap> maps) {
        this.name = name;
        this.type = type;
        this.bytecode = bytecode;
        this.maps = List.copyOf(maps);
        int n = bytecode.slotCount();
        insn = new int[n];
        imm = new long[n];
        for (int pc = 0; pc < n; pc++) {
            insn[pc] = bytecode.opcode(pc) | bytecode.dst(pc) << 8 | bytecode.src(pc) << 12 | bytecode.offset(pc) << 16;
            imm[pc] = bytecode.imm(pc);
        }
        for (int pc = 0; pc + 1 < n; pc++) {
            if (bytecode.opcode(pc) == 0x18 && bytecode.src(pc) == Imm64.SRC_CONSTANT) {
                imm[pc] = (bytecode.imm(pc) & 0xffffffffL) | ((long) bytecode.imm(pc + 1) << 32);
                pc++;
            }
        }
    }

    /**
     * Checks a program as the interpreter's loader: valid encoding, jumps inside their function and
     * onto instruction boundaries, known helpers allowed for the type, valid map references, no
     * write to r10, every function ending in exit or ja. Throws {@link LoadException} naming the
     * instruction.
     */
    public static VmProgram load(String name, ProgramType type, Bytecode bytecode, List<MemoryMap> maps) {
        new Checker(name, type, bytecode, maps).check();
        return new VmProgram(name, type, bytecode, maps);
    }

    public static VmProgram load(String name, ProgramType type, Bytecode bytecode) {
        return load(name, type, bytecode, List.of());
    }

    public String name() {
        return name;
    }

    public ProgramType type() {
        return type;
    }

    public Bytecode bytecode() {
        return bytecode;
    }

    public List<MemoryMap> maps() {
        return maps;
    }

    private record Checker(String name, ProgramType type, Bytecode code, List<MemoryMap> maps) {
        void check() {
            int n = code.slotCount();
            if (n == 0) throw fail(-1, "program has no instructions");
            if (n > MAX_INSTRUCTIONS) throw fail(-1, "program has " + n + " instructions, more than " + MAX_INSTRUCTIONS);

            // Decode everything first: the strict decoder names malformed slots.
            Instruction[] at = new Instruction[n];
            boolean[] start = new boolean[n + 1];
            for (int pc = 0; pc < n; ) {
                try {
                    at[pc] = Encoding.decodeAt(code, pc);
                } catch (BytecodeException e) {
                    throw fail(pc, e.getMessage().replaceFirst("^instruction \\d+: ", ""));
                }
                start[pc] = true;
                pc += at[pc].slots();
            }

            // Functions begin at 0 and at every local call target.
            TreeSet<Integer> functions = new TreeSet<>(List.of(0));
            for (int pc = 0; pc < n; pc++) {
                if (at[pc] instanceof CallLocal(Target.Relative(int off))) {
                    int target = pc + 1 + off;
                    if (target < 0 || target >= n || !start[target]) throw fail(pc, "call to instruction " + target + " is out of range");
                    functions.add(target);
                }
            }

            for (int pc = 0; pc < n; pc++) {
                if (at[pc] == null) continue;
                int first = functions.floor(pc);
                Integer next = functions.higher(pc);
                int end = next == null ? n : next;
                checkInstruction(pc, at[pc], first, end, start);
            }
            List<Integer> starts = new ArrayList<>(functions);
            for (int i = 0; i < starts.size(); i++) {
                int end = i + 1 < starts.size() ? starts.get(i + 1) : n;
                int last = end - 1;
                while (last > starts.get(i) && at[last] == null) last--; // second slot of lddw
                if (!(at[last] instanceof Exit) && !(at[last] instanceof Goto)) {
                    throw fail(last, "function at instruction " + starts.get(i) + " does not end with exit or ja");
                }
            }
        }

        private void checkInstruction(int pc, Instruction insn, int first, int end, boolean[] start) {
            switch (insn) {
                case Alu a when a.dst() == Register.R10 -> throw fail(pc, "r10 (frame pointer) is read-only");
                case Endian e when e.dst() == Register.R10 -> throw fail(pc, "r10 (frame pointer) is read-only");
                case Load l when l.dst() == Register.R10 -> throw fail(pc, "r10 (frame pointer) is read-only");
                case Atomic a when a.value() == Register.R10 && a.op().fetches() && a.op() != AtomicOp.CMPXCHG ->
                    throw fail(pc, "r10 (frame pointer) is read-only");
                case Jump(JumpOp op, boolean wide, Register dst, Source src, Target.Relative(int off)) ->
                    jumpTarget(pc, pc + 1 + off, first, end, start);
                case Goto(Target.Relative(int off), boolean ja32) -> jumpTarget(pc, pc + 1 + off, first, end, start);
                case CallHelper(int id) -> {
                    String refusal = HelperPolicy.refusal(type, id);
                    if (refusal != null) throw fail(pc, refusal);
                }
                case CallKfunc k -> throw fail(pc, "kfunc calls are not supported");
                case LoadImm64 l -> loadImm64(pc, l);
                // The kernel's verifier refuses a stack access at a fixed offset not aligned to its size.
                case Load l when l.base() == Register.R10 && type != ProgramType.RAW && l.offset() % l.size().bytes != 0 ->
                    throw fail(pc, "misaligned stack access at r10" + l.offset() + " (size " + l.size().bytes + ")");
                case Store st when st.base() == Register.R10 && type != ProgramType.RAW && st.offset() % st.size().bytes != 0 ->
                    throw fail(pc, "misaligned stack access at r10" + st.offset() + " (size " + st.size().bytes + ")");
                case PacketLoad p when type != ProgramType.SCHED_CLS ->
                    throw fail(pc, "legacy packet loads (LD_ABS/LD_IND) need a socket-buffer program");
                default -> {}
            }
        }

        private void jumpTarget(int pc, int target, int first, int end, boolean[] start) {
            if (target == pc) throw fail(pc, "infinite loop: the jump targets itself");
            if (target < first || target >= end) throw fail(pc, "jump to instruction " + target + " leaves its function");
            if (!start[target]) throw fail(pc, "jump into the middle of lddw at instruction " + (target - 1));
        }

        private void loadImm64(int pc, LoadImm64 l) {
            if (l.dst() == Register.R10) throw fail(pc, "r10 (frame pointer) is read-only");
            switch (l.value()) {
                case Imm64.Constant c -> {}
                case Imm64.Map(MapRef ref) -> mapIndex(pc, ref);
                case Imm64.MapValue(MapRef ref, int offset) -> {
                    MemoryMap m = maps.get(mapIndex(pc, ref));
                    if (m.spec().type() != MapType.ARRAY) throw fail(pc, "direct value access needs an array map");
                    if (offset < 0 || offset >= m.spec().valueSize()) throw fail(pc, "map value offset " + offset + " is out of range");
                }
                case Imm64.BtfId b -> throw fail(pc, "BTF variable loads are not supported");
                case Imm64.Function f -> throw fail(pc, "function pointers are not supported");
            }
        }

        private int mapIndex(int pc, MapRef ref) {
            if (!(ref instanceof MapRef.Index(int index))) {
                throw fail(pc, "maps must be referenced by index (BPF_PSEUDO_MAP_IDX), not " + ref);
            }
            if (index < 0 || index >= maps.size()) throw fail(pc, "map index " + index + " is out of range (" + maps.size() + " maps)");
            return index;
        }

        private LoadException fail(int pc, String message) {
            return new LoadException(name, pc, message);
        }
    }
}
