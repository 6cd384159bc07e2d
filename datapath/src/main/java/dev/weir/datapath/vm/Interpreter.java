package dev.weir.datapath.vm;

import dev.weir.datapath.maps.MemoryMap;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Runs eBPF bytecode as the kernel does: XDP and tc programs against a packet, or plain programs
 * against memory (the conformance contract). One dispatch loop over pre-decoded slots; every memory
 * access is checked by {@link Memory}; a fault ends the run with a {@link RunResult.Faulted}, never
 * an exception. An interpreter reuses its buffers between runs and is not thread-safe: use one
 * per thread. It keeps a region for every map its programs have used, for its lifetime: use a new
 * interpreter for a new set of maps rather than one forever.
 */
public final class Interpreter {
    /** XDP_PACKET_HEADROOM, as BPF_PROG_TEST_RUN gives XDP programs. */
    static final int HEADROOM = 256;
    static final int MAX_TAIL_CALLS = 33;

    public record Options(int cpu, int possibleCpus, long instructionBudget, LongSupplier clock, RandomGenerator random) {
        public Options {
            if (possibleCpus < 1 || cpu < 0 || cpu >= possibleCpus) {
                throw new IllegalArgumentException("cpu " + cpu + " must be one of " + possibleCpus + " possible CPUs");
            }
            if (instructionBudget < 1) throw new IllegalArgumentException("instruction budget must be positive");
        }

        public static Options defaults() {
            return new Options(0, 1, 10_000_000L, System::nanoTime, new Random(0x5eed));
        }

        public Options withPossibleCpus(int cpus) {
            return new Options(cpu, cpus, instructionBudget, clock, random);
        }

        public Options withInstructionBudget(long budget) {
            return new Options(cpu, possibleCpus, budget, clock, random);
        }

        public Options withClock(LongSupplier c) {
            return new Options(cpu, possibleCpus, instructionBudget, c, random);
        }
    }

    final Options options;
    final Memory memory = new Memory();
    final Region contextRegion = new Region(Region.Kind.CONTEXT, "context");
    final Region packet = new Region(Region.Kind.PACKET, "packet");
    final XdpContext xdp = new XdpContext(packet, Memory.PACKET);
    final SkbContext skb = new SkbContext(packet, Memory.PACKET);
    private final Region[] stack = new Region[Memory.MAX_FRAMES];
    private final Map<MemoryMap, Integer> mapRegions = new IdentityHashMap<>();
    private final Map<VmProgram, long[]> mapHandles = new IdentityHashMap<>();
    private final HelperCalls helpers = new HelperCalls(this);
    private byte[] packetBuffer = new byte[HEADROOM + 2048];
    ProgramType runningType;
    int redirect;
    long executed;

    public Interpreter() {
        this(Options.defaults());
    }

    public Interpreter(Options options) {
        this.options = options;
        memory.set(Memory.CONTEXT, contextRegion);
        memory.set(Memory.PACKET, packet);
        for (int i = 0; i < stack.length; i++) {
            stack[i] = new Region(Region.Kind.STACK, "stack frame " + i)
                    .bytes(new byte[Memory.STACK_SIZE], 0, Memory.STACK_SIZE, true);
            memory.set(Memory.STACK + i, stack[i]);
        }
    }

    /** Runs an XDP program; R0 is the XDP action. */
    public RunResult runXdp(VmProgram program, byte[] frame, XdpMetadata metadata) {
        requireType(program, ProgramType.XDP);
        xdp.metadata = metadata;
        contextRegion.context = xdp;
        return run(program, frame, HEADROOM, Memory.pointer(Memory.CONTEXT, 0), 0);
    }

    /** Runs a tc (sched_cls) program; R0 is the TC_ACT_* verdict. */
    public RunResult runTc(VmProgram program, byte[] frame, SkbMetadata metadata) {
        requireType(program, ProgramType.SCHED_CLS);
        skb.reset(metadata);
        contextRegion.context = skb;
        return run(program, frame, 0, Memory.pointer(Memory.CONTEXT, 0), 0);
    }

    /** cb[] of the __sk_buff as the last tc run left it (programs may write it; BPF_PROG_TEST_RUN returns it). */
    public int[] skbCb() {
        return skb.cb();
    }

    /** Runs a plain program with r1 = address of {@code memory} (writable), r2 = its length. */
    public RunResult runRaw(VmProgram program, byte[] memory) {
        requireType(program, ProgramType.RAW);
        contextRegion.context = null;
        return run(program, memory, 0, Memory.pointer(Memory.PACKET, 0), memory.length);
    }

    private static void requireType(VmProgram program, ProgramType type) {
        if (program.type() != type) {
            throw new IllegalArgumentException("program '" + program.name() + "' is " + program.type() + ", not " + type);
        }
    }

    private RunResult run(VmProgram program, byte[] input, int headroom, long r1, long r2) {
        if (packetBuffer.length < headroom + input.length) packetBuffer = new byte[headroom + input.length];
        else Arrays.fill(packetBuffer, 0, headroom, (byte) 0);
        System.arraycopy(input, 0, packetBuffer, headroom, input.length);
        packet.bytes(packetBuffer, headroom, headroom + input.length, true);
        memory.clearTransients();
        runningType = program.type();
        redirect = -1;
        executed = 0;
        try {
            long r0 = execute(program, r1, r2);
            return new RunResult.Returned(r0, Arrays.copyOfRange(packetBuffer, packet.lo, packet.hi), redirect, executed);
        } catch (VmFault fault) {
            return new RunResult.Faulted(fault, executed);
        } catch (RuntimeException bug) {
            // A defect of ours must still not escape as an exception to the caller.
            return new RunResult.Faulted(VmFault.at(-1, "internal error: " + bug), executed);
        }
    }

    /** Pointers for the program's maps by index: handles, then value bases (for direct value access). */
    long[] mapPointers(VmProgram program) {
        if (program == lastProgram) return lastPointers;
        long[] p = mapHandles.get(program);
        if (p != null) {
            lastProgram = program;
            return lastPointers = p;
        }
        int n = program.maps().size();
        p = new long[2 * n];
        for (int i = 0; i < n; i++) {
            int valueRegion = regionOf(program.maps().get(i));
            p[i] = Memory.pointer(valueRegion + 1, 0);
            p[n + i] = Memory.pointer(valueRegion, 0);
        }
        mapHandles.put(program, p);
        lastProgram = program;
        return lastPointers = p;
    }

    /** The value region of a map; its handle region is the next index. */
    int regionOf(MemoryMap map) {
        Integer known = mapRegions.get(map);
        if (known != null) return known;
        String name = "map '" + map.spec().name() + "'";
        Region values = new Region(Region.Kind.MAP_VALUE, name + " value");
        if (map.valueStride() != 0) { // maps without elements (prog arrays, ring buffers) stay unaddressable
            byte[] store = map.valueStore();
            values.bytes(store, 0, store.length, true);
            values.stride = map.valueStride();
            values.elementSize = map.spec().valueSize();
        }
        Region handle = new Region(Region.Kind.MAP_HANDLE, name);
        int index = memory.add(values);
        memory.add(handle);
        values.mapIndex = handle.mapIndex = index;
        mapRegions.put(map, index);
        mapByRegion = null;
        return index;
    }

    private MemoryMap[] mapByRegion;
    private VmProgram lastProgram;
    private long[] lastPointers;

    /** The map a handle pointer names, or a fault. */
    MemoryMap mapAt(long handle, int pc) {
        Region r = memory.regionOf(handle);
        if (r == null || r.kind != Region.Kind.MAP_HANDLE || (int) handle != 0) {
            throw new VmFault(pc, handle, 0, r == null ? null : r.name, "argument is not a map pointer");
        }
        if (mapByRegion == null || r.mapIndex >= mapByRegion.length || mapByRegion[r.mapIndex] == null) {
            mapByRegion = new MemoryMap[r.mapIndex + 2];
            mapRegions.forEach((m, i) -> { if (i < mapByRegion.length) mapByRegion[i] = m; });
        }
        return mapByRegion[r.mapIndex];
    }


    // Call-frame state, reused between runs.
    private final long[] registers = new long[11];
    private final int[] returnPc = new int[Memory.MAX_FRAMES];
    private final long[] savedRegisters = new long[Memory.MAX_FRAMES * 4];
    private final VmProgram[] frameProgram = new VmProgram[Memory.MAX_FRAMES];

    /** The dispatch loop. Returns R0 at the final exit; throws VmFault. */
    private long execute(VmProgram entry, long r1, long r2) {
        final long[] reg = this.registers;
        final int[] returnPc = this.returnPc;
        final long[] saved = this.savedRegisters;
        final VmProgram[] frameProgram = this.frameProgram;
        final Memory mem = memory;
        Arrays.fill(reg, 0);
        reg[1] = r1;
        reg[2] = r2;
        int depth = 0;
        Arrays.fill(stack[0].data, (byte) 0);
        reg[10] = Memory.pointer(Memory.STACK, Memory.STACK_SIZE);
        VmProgram prog = entry;
        int[] insn = prog.insn;
        long[] imm = prog.imm;
        long[] maps = mapPointers(prog);
        int tailCalls = 0;
        long budget = options.instructionBudget();
        int pc = 0;
        try {
            while (true) {
                if (--budget < 0) throw VmFault.at(pc, "instruction budget of " + options.instructionBudget() + " exhausted");
                int w = insn[pc];
                int dst = (w >>> 8) & 0xf;
                int src = (w >>> 12) & 0xf;
                switch (w & 0xff) {
                    // ---- ALU64, immediate (imm[] is already sign-extended) and register
                    case 0x07 -> reg[dst] += imm[pc];
                    case 0x0f -> reg[dst] += reg[src];
                    case 0x17 -> reg[dst] -= imm[pc];
                    case 0x1f -> reg[dst] -= reg[src];
                    case 0x27 -> reg[dst] *= imm[pc];
                    case 0x2f -> reg[dst] *= reg[src];
                    case 0x37 -> reg[dst] = div64(reg[dst], imm[pc], w >> 16);
                    case 0x3f -> reg[dst] = div64(reg[dst], reg[src], w >> 16);
                    case 0x47 -> reg[dst] |= imm[pc];
                    case 0x4f -> reg[dst] |= reg[src];
                    case 0x57 -> reg[dst] &= imm[pc];
                    case 0x5f -> reg[dst] &= reg[src];
                    case 0x67 -> reg[dst] <<= imm[pc];
                    case 0x6f -> reg[dst] <<= reg[src];
                    case 0x77 -> reg[dst] >>>= imm[pc];
                    case 0x7f -> reg[dst] >>>= reg[src];
                    case 0x87 -> reg[dst] = -reg[dst];
                    case 0x97 -> reg[dst] = mod64(reg[dst], imm[pc], w >> 16);
                    case 0x9f -> reg[dst] = mod64(reg[dst], reg[src], w >> 16);
                    case 0xa7 -> reg[dst] ^= imm[pc];
                    case 0xaf -> reg[dst] ^= reg[src];
                    case 0xb7 -> reg[dst] = imm[pc];
                    case 0xbf -> reg[dst] = switch (w >> 16) {
                        case 8 -> (byte) reg[src];
                        case 16 -> (short) reg[src];
                        case 32 -> (int) reg[src];
                        default -> reg[src];
                    };
                    case 0xc7 -> reg[dst] >>= imm[pc];
                    case 0xcf -> reg[dst] >>= reg[src];
                    case 0xd7 -> reg[dst] = swap(reg[dst], (int) imm[pc]);
                    // ---- ALU32: operate on the low halves, zero the upper half
                    case 0x04 -> reg[dst] = u32((int) reg[dst] + (int) imm[pc]);
                    case 0x0c -> reg[dst] = u32((int) reg[dst] + (int) reg[src]);
                    case 0x14 -> reg[dst] = u32((int) reg[dst] - (int) imm[pc]);
                    case 0x1c -> reg[dst] = u32((int) reg[dst] - (int) reg[src]);
                    case 0x24 -> reg[dst] = u32((int) reg[dst] * (int) imm[pc]);
                    case 0x2c -> reg[dst] = u32((int) reg[dst] * (int) reg[src]);
                    case 0x34 -> reg[dst] = div32((int) reg[dst], (int) imm[pc], w >> 16);
                    case 0x3c -> reg[dst] = div32((int) reg[dst], (int) reg[src], w >> 16);
                    case 0x44 -> reg[dst] = u32((int) reg[dst] | (int) imm[pc]);
                    case 0x4c -> reg[dst] = u32((int) reg[dst] | (int) reg[src]);
                    case 0x54 -> reg[dst] = u32((int) reg[dst] & (int) imm[pc]);
                    case 0x5c -> reg[dst] = u32((int) reg[dst] & (int) reg[src]);
                    case 0x64 -> reg[dst] = u32((int) reg[dst] << imm[pc]);
                    case 0x6c -> reg[dst] = u32((int) reg[dst] << reg[src]);
                    case 0x74 -> reg[dst] = u32((int) reg[dst] >>> imm[pc]);
                    case 0x7c -> reg[dst] = u32((int) reg[dst] >>> reg[src]);
                    case 0x84 -> reg[dst] = u32(-(int) reg[dst]);
                    case 0x94 -> reg[dst] = mod32((int) reg[dst], (int) imm[pc], w >> 16);
                    case 0x9c -> reg[dst] = mod32((int) reg[dst], (int) reg[src], w >> 16);
                    case 0xa4 -> reg[dst] = u32((int) reg[dst] ^ (int) imm[pc]);
                    case 0xac -> reg[dst] = u32((int) reg[dst] ^ (int) reg[src]);
                    case 0xb4 -> reg[dst] = u32((int) imm[pc]);
                    case 0xbc -> reg[dst] = switch (w >> 16) {
                        case 8 -> u32((byte) reg[src]);
                        case 16 -> u32((short) reg[src]);
                        default -> u32((int) reg[src]);
                    };
                    case 0xc4 -> reg[dst] = u32((int) reg[dst] >> imm[pc]);
                    case 0xcc -> reg[dst] = u32((int) reg[dst] >> reg[src]);
                    case 0xd4 -> reg[dst] = truncate(reg[dst], (int) imm[pc]);
                    case 0xdc -> reg[dst] = swap(reg[dst], (int) imm[pc]);
                    // ---- 64-bit immediate loads: constants and map references
                    case 0x18 -> {
                        reg[dst] = switch (src) {
                            case 0 -> imm[pc];
                            case 5 -> maps[(int) imm[pc]]; // map by index (the loader refuses fds)
                            default -> maps[maps.length / 2 + (int) imm[pc]] + (int) imm[pc + 1]; // map value
                        };
                        pc++;
                    }
                    // ---- loads, stores, atomics
                    case 0x61 -> reg[dst] = mem.load(reg[src] + (w >> 16), 4, pc);
                    case 0x69 -> reg[dst] = mem.load(reg[src] + (w >> 16), 2, pc);
                    case 0x71 -> reg[dst] = mem.load(reg[src] + (w >> 16), 1, pc);
                    case 0x79 -> reg[dst] = mem.load(reg[src] + (w >> 16), 8, pc);
                    case 0x81 -> reg[dst] = (int) mem.load(reg[src] + (w >> 16), 4, pc);
                    case 0x89 -> reg[dst] = (short) mem.load(reg[src] + (w >> 16), 2, pc);
                    case 0x91 -> reg[dst] = (byte) mem.load(reg[src] + (w >> 16), 1, pc);
                    case 0x62 -> mem.store(reg[dst] + (w >> 16), 4, imm[pc], pc);
                    case 0x6a -> mem.store(reg[dst] + (w >> 16), 2, imm[pc], pc);
                    case 0x72 -> mem.store(reg[dst] + (w >> 16), 1, imm[pc], pc);
                    case 0x7a -> mem.store(reg[dst] + (w >> 16), 8, imm[pc], pc);
                    case 0x63 -> mem.store(reg[dst] + (w >> 16), 4, reg[src], pc);
                    case 0x6b -> mem.store(reg[dst] + (w >> 16), 2, reg[src], pc);
                    case 0x73 -> mem.store(reg[dst] + (w >> 16), 1, reg[src], pc);
                    case 0x7b -> mem.store(reg[dst] + (w >> 16), 8, reg[src], pc);
                    case 0xc3 -> atomic(reg, dst, src, w >> 16, (int) imm[pc], 4, pc);
                    case 0xdb -> atomic(reg, dst, src, w >> 16, (int) imm[pc], 8, pc);
                    case 0x20, 0x28, 0x30, 0x40, 0x48, 0x50 -> {
                        long value = helpers.legacyPacketLoad(w & 0xff, src, (int) imm[pc], reg, pc);
                        if (value < 0) return 0; // out of bounds: the kernel ends the program with 0
                        reg[0] = value;
                    }
                    // ---- jumps (offsets count from the next slot; the loop adds 1)
                    case 0x05 -> pc += w >> 16;
                    case 0x06 -> pc += (int) imm[pc];
                    case 0x15 -> { if (reg[dst] == imm[pc]) pc += w >> 16; }
                    case 0x1d -> { if (reg[dst] == reg[src]) pc += w >> 16; }
                    case 0x25 -> { if (Long.compareUnsigned(reg[dst], imm[pc]) > 0) pc += w >> 16; }
                    case 0x2d -> { if (Long.compareUnsigned(reg[dst], reg[src]) > 0) pc += w >> 16; }
                    case 0x35 -> { if (Long.compareUnsigned(reg[dst], imm[pc]) >= 0) pc += w >> 16; }
                    case 0x3d -> { if (Long.compareUnsigned(reg[dst], reg[src]) >= 0) pc += w >> 16; }
                    case 0x45 -> { if ((reg[dst] & imm[pc]) != 0) pc += w >> 16; }
                    case 0x4d -> { if ((reg[dst] & reg[src]) != 0) pc += w >> 16; }
                    case 0x55 -> { if (reg[dst] != imm[pc]) pc += w >> 16; }
                    case 0x5d -> { if (reg[dst] != reg[src]) pc += w >> 16; }
                    case 0x65 -> { if (reg[dst] > imm[pc]) pc += w >> 16; }
                    case 0x6d -> { if (reg[dst] > reg[src]) pc += w >> 16; }
                    case 0x75 -> { if (reg[dst] >= imm[pc]) pc += w >> 16; }
                    case 0x7d -> { if (reg[dst] >= reg[src]) pc += w >> 16; }
                    case 0xa5 -> { if (Long.compareUnsigned(reg[dst], imm[pc]) < 0) pc += w >> 16; }
                    case 0xad -> { if (Long.compareUnsigned(reg[dst], reg[src]) < 0) pc += w >> 16; }
                    case 0xb5 -> { if (Long.compareUnsigned(reg[dst], imm[pc]) <= 0) pc += w >> 16; }
                    case 0xbd -> { if (Long.compareUnsigned(reg[dst], reg[src]) <= 0) pc += w >> 16; }
                    case 0xc5 -> { if (reg[dst] < imm[pc]) pc += w >> 16; }
                    case 0xcd -> { if (reg[dst] < reg[src]) pc += w >> 16; }
                    case 0xd5 -> { if (reg[dst] <= imm[pc]) pc += w >> 16; }
                    case 0xdd -> { if (reg[dst] <= reg[src]) pc += w >> 16; }
                    // JMP32: compare the low 32 bits
                    case 0x16 -> { if ((int) reg[dst] == (int) imm[pc]) pc += w >> 16; }
                    case 0x1e -> { if ((int) reg[dst] == (int) reg[src]) pc += w >> 16; }
                    case 0x26 -> { if (Integer.compareUnsigned((int) reg[dst], (int) imm[pc]) > 0) pc += w >> 16; }
                    case 0x2e -> { if (Integer.compareUnsigned((int) reg[dst], (int) reg[src]) > 0) pc += w >> 16; }
                    case 0x36 -> { if (Integer.compareUnsigned((int) reg[dst], (int) imm[pc]) >= 0) pc += w >> 16; }
                    case 0x3e -> { if (Integer.compareUnsigned((int) reg[dst], (int) reg[src]) >= 0) pc += w >> 16; }
                    case 0x46 -> { if (((int) reg[dst] & (int) imm[pc]) != 0) pc += w >> 16; }
                    case 0x4e -> { if (((int) reg[dst] & (int) reg[src]) != 0) pc += w >> 16; }
                    case 0x56 -> { if ((int) reg[dst] != (int) imm[pc]) pc += w >> 16; }
                    case 0x5e -> { if ((int) reg[dst] != (int) reg[src]) pc += w >> 16; }
                    case 0x66 -> { if ((int) reg[dst] > (int) imm[pc]) pc += w >> 16; }
                    case 0x6e -> { if ((int) reg[dst] > (int) reg[src]) pc += w >> 16; }
                    case 0x76 -> { if ((int) reg[dst] >= (int) imm[pc]) pc += w >> 16; }
                    case 0x7e -> { if ((int) reg[dst] >= (int) reg[src]) pc += w >> 16; }
                    case 0xa6 -> { if (Integer.compareUnsigned((int) reg[dst], (int) imm[pc]) < 0) pc += w >> 16; }
                    case 0xae -> { if (Integer.compareUnsigned((int) reg[dst], (int) reg[src]) < 0) pc += w >> 16; }
                    case 0xb6 -> { if (Integer.compareUnsigned((int) reg[dst], (int) imm[pc]) <= 0) pc += w >> 16; }
                    case 0xbe -> { if (Integer.compareUnsigned((int) reg[dst], (int) reg[src]) <= 0) pc += w >> 16; }
                    case 0xc6 -> { if ((int) reg[dst] < (int) imm[pc]) pc += w >> 16; }
                    case 0xce -> { if ((int) reg[dst] < (int) reg[src]) pc += w >> 16; }
                    case 0xd6 -> { if ((int) reg[dst] <= (int) imm[pc]) pc += w >> 16; }
                    case 0xde -> { if ((int) reg[dst] <= (int) reg[src]) pc += w >> 16; }
                    // ---- calls and exit
                    case 0x85 -> {
                        if (src == 1) { // bpf-to-bpf call: new frame, callee-saved r6-r9 kept for the caller
                            if (depth + 1 >= Memory.MAX_FRAMES) throw VmFault.at(pc, "call depth exceeds " + Memory.MAX_FRAMES + " frames");
                            returnPc[depth] = pc;
                            frameProgram[depth] = prog;
                            System.arraycopy(reg, 6, saved, depth * 4, 4);
                            depth++;
                            Arrays.fill(stack[depth].data, (byte) 0);
                            reg[10] = Memory.pointer(Memory.STACK + depth, Memory.STACK_SIZE);
                            pc += (int) imm[pc];
                        } else if ((int) imm[pc] == dev.weir.datapath.isa.Helper.TAIL_CALL.id) {
                            VmProgram next = helpers.tailCallTarget(reg, prog, tailCalls, pc);
                            if (next != null) {
                                tailCalls++;
                                prog = next;
                                insn = prog.insn;
                                imm = prog.imm;
                                maps = mapPointers(prog);
                                pc = -1;
                            }
                        } else {
                            reg[0] = helpers.call((int) imm[pc], reg, pc);
                        }
                    }
                    case 0x8d -> {
                        int id = (int) reg[dst];
                        String refusal = HelperPolicy.refusal(prog.type(), id);
                        if (refusal != null || id == dev.weir.datapath.isa.Helper.TAIL_CALL.id) {
                            throw VmFault.at(pc, refusal != null ? refusal : "tail_call through callx");
                        }
                        reg[0] = helpers.call(id, reg, pc);
                    }
                    case 0x95 -> {
                        if (depth == 0) return reg[0];
                        depth--;
                        System.arraycopy(saved, depth * 4, reg, 6, 4);
                        reg[10] = Memory.pointer(Memory.STACK + depth, Memory.STACK_SIZE);
                        pc = returnPc[depth];
                        if (frameProgram[depth] != prog) { // returning across a tail call
                            prog = frameProgram[depth];
                            insn = prog.insn;
                            imm = prog.imm;
                            maps = mapPointers(prog);
                        }
                    }
                    default -> throw VmFault.at(pc, "invalid opcode 0x" + Integer.toHexString(w & 0xff));
                }
                pc++;
            }
        } finally {
            executed = options.instructionBudget() - Math.max(budget, 0);
        }
    }

    private void atomic(long[] reg, int dst, int src, int off, int op, int size, int pc) {
        long address = reg[dst] + off;
        long old = memory.load(address, size, pc);
        long operand = reg[src];
        long updated = switch (op & ~dev.weir.datapath.isa.AtomicOp.FETCH) {
            case 0x00 -> old + operand;
            case 0x40 -> old | operand;
            case 0x50 -> old & operand;
            case 0xa0 -> old ^ operand;
            case 0xe0 -> operand; // xchg
            case 0xf0 -> { // cmpxchg: compare with r0, old value to r0
                long expected = size == 4 ? reg[0] & 0xffffffffL : reg[0];
                yield old == expected ? operand : old;
            }
            default -> throw VmFault.at(pc, "invalid atomic operation 0x" + Integer.toHexString(op));
        };
        memory.store(address, size, updated, pc);
        if (op == 0xf1) reg[0] = old;
        else if ((op & dev.weir.datapath.isa.AtomicOp.FETCH) != 0) reg[src] = old;
    }

    private static long u32(int v) {
        return v & 0xffffffffL;
    }

    /** DIV (offset 0, unsigned) and SDIV (offset 1); division by zero yields 0. */
    private static long div64(long a, long b, int signed) {
        if (b == 0) return 0;
        return signed == 0 ? Long.divideUnsigned(a, b) : a / b;
    }

    /** MOD and SMOD; modulo by zero leaves the dividend. */
    private static long mod64(long a, long b, int signed) {
        if (b == 0) return a;
        return signed == 0 ? Long.remainderUnsigned(a, b) : a % b;
    }

    private static long div32(int a, int b, int signed) {
        if (b == 0) return 0;
        return u32(signed == 0 ? Integer.divideUnsigned(a, b) : a / b);
    }

    private static long mod32(int a, int b, int signed) {
        if (b == 0) return u32(a);
        return u32(signed == 0 ? Integer.remainderUnsigned(a, b) : a % b);
    }

    private static long swap(long v, int bits) {
        return switch (bits) {
            case 16 -> Short.reverseBytes((short) v) & 0xffffL;
            case 32 -> Integer.reverseBytes((int) v) & 0xffffffffL;
            default -> Long.reverseBytes(v);
        };
    }

    private static long truncate(long v, int bits) {
        return switch (bits) {
            case 16 -> v & 0xffffL;
            case 32 -> v & 0xffffffffL;
            default -> v;
        };
    }
}
