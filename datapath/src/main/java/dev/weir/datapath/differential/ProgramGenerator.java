package dev.weir.datapath.differential;

import static dev.weir.datapath.asm.Asm.*;
import static dev.weir.datapath.isa.Register.*;

import dev.weir.datapath.asm.Assembler;
import dev.weir.datapath.isa.*;
import dev.weir.datapath.isa.Instruction.*;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.vm.ProgramType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random XDP and tc programs the kernel verifier accepts, for differential testing against the
 * interpreter. The shape keeps every path verifiable: r6 = ctx, r7 = packet start, r8 = packet end
 * (checked once for a fixed window), r0-r5 scalars, r9 scratch; a 64-byte stack area initialised
 * up front; only forward branches (plus one bounded loop kind); after helper calls r1-r5 are set
 * again. At the end the scalar registers are stored in the "regs" map so all 64 bits are compared.
 */
public final class ProgramGenerator {
    /** Bytes of packet every program may touch; packets are at least this long. */
    public static final int WINDOW = 64;
    static final String REGS = "regs", ARRAY = "arr", HASH = "hash";
    private static final int KEY = -72, SPILL = -120; // stack: scratch [-64,-1], key [-72,-65], spill [-120,-73]
    private static final Register[] SCALARS = {R0, R1, R2, R3, R4, R5};
    private static final AluOp[] ALU = {AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.DIV, AluOp.SDIV, AluOp.OR, AluOp.AND,
            AluOp.LSH, AluOp.RSH, AluOp.NEG, AluOp.MOD, AluOp.SMOD, AluOp.XOR, AluOp.MOV, AluOp.ARSH};
    private static final AtomicOp[] ATOMICS = AtomicOp.values();

    private final SplittableRandom random;
    private final long seed;
    private final Assembler a = new Assembler();
    private int labels;

    private ProgramGenerator(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public static Scenario generate(long seed) {
        return new ProgramGenerator(seed).scenario();
    }

    private Scenario scenario() {
        ProgramType type = random.nextBoolean() ? ProgramType.XDP : ProgramType.SCHED_CLS;
        prologue(type);
        int blocks = 5 + random.nextInt(30);
        List<String> pending = new ArrayList<>(); // forward-jump labels not bound yet, by block
        int[] bindAt = new int[64];
        int branches = 0;
        for (int b = 0; b < blocks; b++) {
            for (int i = pending.size() - 1; i >= 0; i--) {
                if (bindAt[i] == b) {
                    a.label(pending.get(i));
                    pending.remove(i);
                    System.arraycopy(bindAt, i + 1, bindAt, i, pending.size() - i);
                }
            }
            int kind = random.nextInt(100);
            if (kind < 35) alu();
            else if (kind < 42) moveOrSwap();
            else if (kind < 52 && branches < 8 && pending.size() < 60) {
                String label = "L" + labels++;
                branch(label);
                bindAt[pending.size()] = b + 1 + random.nextInt(4);
                pending.add(label);
                branches++;
            } else if (kind < 62) packetAccess();
            else if (kind < 72) stackAccess();
            else if (kind < 78) atomic();
            else if (kind < 85) arrayMap();
            else if (kind < 92) hashMap();
            else if (kind < 96) csumDiff();
            else loop();
        }
        for (String label : pending) a.label(label);
        epilogue();
        return new Scenario(seed, "random-" + seed, type, a.build(), maps(), entries(), packet());
    }

    private void prologue(ProgramType type) {
        int data = type == ProgramType.XDP ? 0 : 76, dataEnd = type == ProgramType.XDP ? 4 : 80;
        a.add(mov64(R0, 0), mov64(R6, R1), ldxw(R7, R6, data), ldxw(R8, R6, dataEnd), mov64(R9, R7), add64(R9, WINDOW),
              jgt(R9, R8, "out"));
        for (Register r : SCALARS) a.add(randomValue(r));
        for (int off = -64; off < 0; off += 8) a.add(stxdw(R10, off, SCALARS[random.nextInt(6)]));
        a.add(stdw(R10, KEY, 0));
    }

    private Instruction randomValue(Register r) {
        return switch (random.nextInt(3)) {
            case 0 -> mov64(r, interesting32());
            case 1 -> mov32(r, interesting32());
            default -> lddw(r, random.nextBoolean() ? random.nextLong() : interesting64());
        };
    }

    private int interesting32() {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Integer.MIN_VALUE;
            case 3 -> random.nextInt(16) - 8;
            default -> random.nextInt();
        };
    }

    private long interesting64() {
        return switch (random.nextInt(4)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> 0xffff_ffffL;
            case 2 -> 1L << random.nextInt(64);
            default -> random.nextLong();
        };
    }

    private Register scalar() {
        return SCALARS[random.nextInt(SCALARS.length)];
    }

    private void alu() {
        AluOp op = ALU[random.nextInt(ALU.length)];
        boolean wide = random.nextBoolean();
        Register dst = scalar();
        if (op == AluOp.NEG) {
            a.add(new Alu(op, wide, dst, Imm.of(0)));
            return;
        }
        boolean shift = op == AluOp.LSH || op == AluOp.RSH || op == AluOp.ARSH;
        boolean divides = op == AluOp.DIV || op == AluOp.SDIV || op == AluOp.MOD || op == AluOp.SMOD;
        int imm = shift ? random.nextInt(wide ? 64 : 32) : interesting32();
        if (divides && imm == 0) imm = 1 + random.nextInt(7); // the verifier refuses division by an immediate 0
        Source src = random.nextBoolean() ? scalar() : Imm.of(imm);
        a.add(new Alu(op, wide, dst, src));
    }

    private void moveOrSwap() {
        Register dst = scalar();
        switch (random.nextInt(3)) {
            case 0 -> {
                AluOp[] sx = {AluOp.MOVSX8, AluOp.MOVSX16, AluOp.MOVSX32};
                AluOp op = sx[random.nextInt(3)];
                a.add(new Alu(op, op == AluOp.MOVSX32 || random.nextBoolean(), dst, scalar()));
            }
            case 1 -> a.add(new Endian(Instruction.ByteSwap.values()[random.nextInt(3)], 16 << random.nextInt(3), dst));
            default -> a.add(mov64(dst, scalar()));
        }
    }

    private void branch(String label) {
        JumpOp op = JumpOp.values()[random.nextInt(JumpOp.values().length)];
        Source src = random.nextBoolean() ? scalar() : Imm.of(interesting32());
        a.add(new Jump(op, random.nextBoolean(), scalar(), src, Target.label(label)));
    }

    private void packetAccess() {
        Size size = Size.values()[random.nextInt(4)];
        int off = random.nextInt(WINDOW - size.bytes + 1);
        switch (random.nextInt(4)) {
            case 0 -> a.add(new Store(size, R7, (short) off, scalar()));
            case 1 -> a.add(new Load(size, scalar(), R7, (short) off, size != Size.DW && random.nextBoolean()));
            default -> a.add(new Load(size, scalar(), R7, (short) off, false));
        }
    }

    private void stackAccess() {
        Size size = Size.values()[random.nextInt(4)];
        int off = -64 + size.bytes * random.nextInt(64 / size.bytes);
        switch (random.nextInt(3)) {
            case 0 -> a.add(new Store(size, R10, (short) off, scalar()));
            case 1 -> a.add(new Store(size, R10, (short) off, Imm.of(interesting32())));
            default -> a.add(new Load(size, scalar(), R10, (short) off, size != Size.DW && random.nextBoolean()));
        }
    }

    private void atomic() {
        AtomicOp op = ATOMICS[random.nextInt(ATOMICS.length)];
        Size size = random.nextBoolean() ? Size.DW : Size.W;
        int off = -64 + size.bytes * random.nextInt(64 / size.bytes);
        Register value = op == AtomicOp.CMPXCHG ? SCALARS[1 + random.nextInt(5)] : scalar();
        a.add(new Atomic(op, size, R10, (short) off, value));
    }

    /** r0 = arr[k] value word (or 0), sometimes writing or adding to it first. */
    private void arrayMap() {
        String skip = "M" + labels++;
        a.add(stw(R10, KEY, random.nextInt(5)), // index 4 is out of range: lookup returns NULL
              loadMap(R1, ARRAY), mov64(R2, R10), add64(R2, KEY), call(Helper.MAP_LOOKUP_ELEM),
              jeq(R0, 0, skip));
        int off = 8 * random.nextInt(2);
        if (random.nextBoolean()) a.add(stxdw(R0, off, scratchScalar()));
        if (random.nextBoolean()) a.add(new Atomic(AtomicOp.ADD, Size.DW, R0, (short) off, scratchScalar()));
        a.add(ldxdw(R0, R0, 8 * random.nextInt(2)));
        a.label(skip);
        reinitArguments();
    }

    /** The stack scratch value in r9, a scalar the map helpers never clobber. */
    private Register scratchScalar() {
        a.add(ldxdw(R9, R10, -8 * (1 + random.nextInt(8))));
        return R9;
    }

    private void hashMap() {
        a.add(stdw(R10, KEY, random.nextInt(6)), loadMap(R1, HASH), mov64(R2, R10), add64(R2, KEY));
        switch (random.nextInt(3)) {
            case 0 -> a.add(mov64(R3, R10), add64(R3, -8 * (1 + random.nextInt(8))), mov64(R4, random.nextInt(3)),
                    call(Helper.MAP_UPDATE_ELEM));
            case 1 -> a.add(call(Helper.MAP_DELETE_ELEM));
            default -> {
                String skip = "H" + labels++;
                a.add(call(Helper.MAP_LOOKUP_ELEM), jeq(R0, 0, skip), ldxdw(R0, R0, 0));
                a.label(skip);
            }
        }
        reinitArguments();
    }

    private void csumDiff() {
        int from = 4 * random.nextInt(3), to = 4 * random.nextInt(3);
        a.add(mov64(R1, R10), add64(R1, -32), mov64(R2, from), mov64(R3, R10), add64(R3, -16), mov64(R4, to),
              mov64(R5, interesting32()), call(Helper.CSUM_DIFF));
        reinitArguments();
    }

    /** A counted loop over a few ALU operations (the verifier accepts bounded loops). */
    private void loop() {
        String top = "T" + labels++;
        int count = 1 + random.nextInt(6);
        a.add(mov64(R9, 0)).label(top);
        for (int i = 0; i < 1 + random.nextInt(3); i++) alu();
        a.add(add64(R9, 1), jlt(R9, count, top));
    }

    private void reinitArguments() {
        for (Register r : new Register[]{R1, R2, R3, R4, R5}) a.add(randomValue(r));
    }

    private void epilogue() {
        for (int i = 0; i < SCALARS.length; i++) a.add(stxdw(R10, SPILL + 8 * i, SCALARS[i]));
        a.add(stw(R10, KEY, 0), loadMap(R1, REGS), mov64(R2, R10), add64(R2, KEY), call(Helper.MAP_LOOKUP_ELEM),
              jeq(R0, 0, "out"));
        for (int i = 0; i < SCALARS.length; i++) a.add(ldxdw(R1, R10, SPILL + 8 * i), stxdw(R0, 8 * i, R1));
        a.add(ldxdw(R0, R10, SPILL));
        a.label("out").add(exit());
    }

    private List<MapSpec> maps() {
        return List.of(MapSpec.array(REGS, 48, 1), MapSpec.array(ARRAY, 16, 4), MapSpec.hash(HASH, 8, 8, 4));
    }

    private List<List<Scenario.Entry>> entries() {
        List<Scenario.Entry> array = new ArrayList<>(), hash = new ArrayList<>();
        for (int i = 0; i < 4; i++) array.add(new Scenario.Entry(le(i, 4), bytes(16)));
        for (int i = 0; i < random.nextInt(4); i++) hash.add(new Scenario.Entry(le(random.nextInt(6), 8), bytes(8)));
        return List.of(List.of(), array, hash.stream().collect(java.util.stream.Collectors.toMap(
                e -> java.util.HexFormat.of().formatHex(e.key()), e -> e, (x, y) -> x, java.util.LinkedHashMap::new))
                .values().stream().toList());
    }

    private byte[] packet() {
        return bytes(WINDOW + random.nextInt(64));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) random.nextInt(256);
        return b;
    }

    private static byte[] le(long v, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) (v >>> (8 * i));
        return b;
    }
}
