package dev.weir.datapath.vm;

import static dev.weir.datapath.asm.Asm.*;
import static dev.weir.datapath.isa.Register.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.datapath.asm.Assembler;
import dev.weir.datapath.isa.Helper;
import dev.weir.datapath.isa.MapRef;
import dev.weir.datapath.maps.BpfMap;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.maps.MapType;
import dev.weir.datapath.maps.MemoryMap;
import dev.weir.datapath.maps.ProgArrayMap;
import dev.weir.datapath.maps.RingBufferMap;
import dev.weir.datapath.packet.Frames;
import dev.weir.datapath.samples.PolicyShapedProgram;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Programs using maps through helpers: kernel return values, bounds, per-CPU, tail calls, ring buffers. */
class MapHelpersTest {
    private final Interpreter vm = new Interpreter(Interpreter.Options.defaults().withPossibleCpus(2));
    private static final byte[] FRAME = Frames.udp(Frames.ip("10.0.0.1"), Frames.ip("10.0.0.2"), 1, 2, new byte[4]);

    private static VmProgram program(ProgramType type, Assembler a, List<MemoryMap> maps) {
        return VmProgram.load("maps", type, a.build().encode(name -> new MapRef.Index(Integer.parseInt(name))), maps);
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** key 7 := 41 with the given flags, then r0 = update result. */
    private static Assembler update(int flags) {
        return new Assembler().add(stw(R10, -4, 7), stw(R10, -8, 41),
                loadMap(R1, "0"), mov64(R2, R10), add64(R2, -4), mov64(R3, R10), add64(R3, -8), mov64(R4, flags),
                call(Helper.MAP_UPDATE_ELEM), exit());
    }

    @Test
    void updateReturnsTheKernelsErrnos() {
        MemoryMap hash = MemoryMap.create(MapSpec.hash("h", 4, 4, 1), 2);
        var p = program(ProgramType.RAW, update((int) BpfMap.EXIST), List.of(hash));
        assertThat(vm.runRaw(p, new byte[0]).valueOrThrow()).isEqualTo(-2);  // ENOENT
        var any = program(ProgramType.RAW, update((int) BpfMap.ANY), List.of(hash));
        assertThat(vm.runRaw(any, new byte[0]).valueOrThrow()).isZero();
        assertThat(hash.lookup(u32(7))).hasValueSatisfying(v -> assertThat(v).isEqualTo(u32(41)));
        var noexist = program(ProgramType.RAW, update((int) BpfMap.NOEXIST), List.of(hash));
        assertThat(vm.runRaw(noexist, new byte[0]).valueOrThrow()).isEqualTo(-17); // EEXIST
    }

    @Test
    void lookupReturnsAPointerBoundedToTheValue() {
        MemoryMap array = MemoryMap.create(MapSpec.array("a", 8, 4), 1);
        array.update(u32(2), new byte[]{1, 2, 3, 4, 5, 6, 7, 8}, BpfMap.ANY);
        Assembler lookup = new Assembler().add(stw(R10, -4, 2), loadMap(R1, "0"), mov64(R2, R10), add64(R2, -4),
                call(Helper.MAP_LOOKUP_ELEM), jeq(R0, 0, "none"));
        var inside = program(ProgramType.RAW, copy(lookup).add(ldxw(R0, R0, 4), exit()).label("none").add(exit()), List.of(array));
        assertThat(vm.runRaw(inside, new byte[0]).valueOrThrow()).isEqualTo(0x08070605L);
        var beyond = program(ProgramType.RAW, copy(lookup).add(ldxw(R0, R0, 6), exit()).label("none").add(exit()), List.of(array));
        var fault = ((RunResult.Faulted) vm.runRaw(beyond, new byte[0])).fault();
        assertThat(fault.region()).isEqualTo("map 'a' value");
        assertThat(fault.getMessage()).contains("end of a map value");
    }

    private static Assembler copy(Assembler a) {
        Assembler b = new Assembler();
        var code = a.build();
        for (int i = 0; i < code.instructions().size(); i++) b.add(code.instructions().get(i));
        return b;
    }

    @Test
    void aPerCpuUpdateFromAProgramTouchesOnlyItsCpu() {
        MemoryMap percpu = MemoryMap.create(new MapSpec("pc", MapType.PERCPU_HASH, 4, 4, 8, 0), 2);
        var p = program(ProgramType.RAW, update((int) BpfMap.ANY), List.of(percpu));
        vm.runRaw(p, new byte[0]).valueOrThrow();
        byte[] all = percpu.lookup(u32(7)).orElseThrow();
        assertThat(all).hasSize(16); // two CPUs, each value rounded up to 8 bytes
        assertThat(ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getInt(0)).isEqualTo(41);
        assertThat(ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getInt(8)).isZero();
    }

    @Test
    void directValueAccessReadsAnArrayMapsFirstValue() {
        MemoryMap config = MemoryMap.create(MapSpec.array("cfg", 16, 1), 1);
        config.update(u32(0), new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0}, BpfMap.ANY);
        var p = program(ProgramType.RAW, new Assembler().add(loadMapValue(R1, "0", 8), ldxw(R0, R1, 0), exit()), List.of(config));
        assertThat(vm.runRaw(p, new byte[0]).valueOrThrow()).isEqualTo(9);
    }

    @Test
    void tailCallsContinueInTheTargetAndFallThroughWhenTheSlotIsEmpty() {
        ProgArrayMap jumps = (ProgArrayMap) MemoryMap.create(new MapSpec("jmp", MapType.PROG_ARRAY, 4, 4, 4, 0), 1);
        var target = program(ProgramType.XDP, new Assembler().add(mov64(R0, 1), exit()), List.of());
        jumps.setProgram(1, target);
        Assembler caller = new Assembler().add(loadMap(R2, "0"), mov64(R3, 1), call(Helper.TAIL_CALL),
                mov64(R0, 2), exit());
        var p = program(ProgramType.XDP, caller, List.of(jumps));
        assertThat(vm.runXdp(p, FRAME, XdpMetadata.DEFAULT).valueOrThrow()).isEqualTo(1);
        jumps.clearProgram(1);
        assertThat(vm.runXdp(p, FRAME, XdpMetadata.DEFAULT).valueOrThrow()).isEqualTo(2);
    }

    @Test
    void aProgramTailCallingItselfStopsAfterThirtyThreeTailCalls() {
        ProgArrayMap jumps = (ProgArrayMap) MemoryMap.create(new MapSpec("jmp", MapType.PROG_ARRAY, 4, 4, 1, 0), 1);
        MemoryMap counter = MemoryMap.create(MapSpec.array("count", 8, 1), 1);
        // count++ (map value at index 0), then tail call slot 0 (this program); r0 = 7 once calls run out
        Assembler self = new Assembler().add(mov64(R6, R1), loadMapValue(R2, "1", 0), mov64(R3, 1), atomicAdd64(R2, 0, R3),
                mov64(R1, R6), loadMap(R2, "0"), mov64(R3, 0), call(Helper.TAIL_CALL), mov64(R0, 7), exit());
        var p = program(ProgramType.XDP, self, List.of(jumps, counter));
        jumps.setProgram(0, p);
        assertThat(vm.runXdp(p, FRAME, XdpMetadata.DEFAULT).valueOrThrow()).isEqualTo(7);
        assertThat(ByteBuffer.wrap(counter.lookup(u32(0)).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN).getLong())
                .isEqualTo(1 + 33);
    }

    @Test
    void ringBufferRecordsAreReservedSubmittedAndRead() {
        RingBufferMap events = (RingBufferMap) MemoryMap.create(new MapSpec("events", MapType.RINGBUF, 0, 0, 4096, 0), 1);
        Assembler a = new Assembler().add(loadMap(R1, "0"), mov64(R2, 8), mov64(R3, 0), call(Helper.RINGBUF_RESERVE),
                jeq(R0, 0, "full"), stdw(R0, 0, 0x1234), mov64(R1, R0), mov64(R2, 0), call(Helper.RINGBUF_SUBMIT),
                mov64(R0, 0), exit()).label("full").add(mov64(R0, 1), exit());
        var p = program(ProgramType.RAW, a, List.of(events));
        assertThat(vm.runRaw(p, new byte[0]).valueOrThrow()).isZero();
        List<byte[]> records = events.poll();
        assertThat(records).hasSize(1);
        assertThat(ByteBuffer.wrap(records.get(0)).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(0x1234);
    }

    @Test
    void aSubmittedRecordCanNoLongerBeWritten() {
        RingBufferMap events = (RingBufferMap) MemoryMap.create(new MapSpec("events", MapType.RINGBUF, 0, 0, 4096, 0), 1);
        Assembler a = new Assembler().add(loadMap(R1, "0"), mov64(R2, 8), mov64(R3, 0), call(Helper.RINGBUF_RESERVE),
                jeq(R0, 0, "full"), mov64(R6, R0), mov64(R1, R0), mov64(R2, 0), call(Helper.RINGBUF_SUBMIT),
                stdw(R6, 0, 1)).label("full").add(mov64(R0, 0), exit());
        var p = program(ProgramType.RAW, a, List.of(events));
        assertThat(vm.runRaw(p, new byte[0])).isInstanceOf(RunResult.Faulted.class);
    }

    @Test
    void ringBufferOutputCopiesARecord() {
        RingBufferMap events = (RingBufferMap) MemoryMap.create(new MapSpec("events", MapType.RINGBUF, 0, 0, 4096, 0), 1);
        Assembler a = new Assembler().add(stw(R10, -4, 0x55), loadMap(R1, "0"), mov64(R2, R10), add64(R2, -4),
                mov64(R3, 4), mov64(R4, 0), call(Helper.RINGBUF_OUTPUT), exit());
        assertThat(vm.runRaw(program(ProgramType.RAW, a, List.of(events)), new byte[0]).valueOrThrow()).isZero();
        assertThat(events.poll()).singleElement().satisfies(r -> assertThat(r).isEqualTo(u32(0x55)));
    }

    @Test
    void thePolicyShapedProgramGivesTheExpectedVerdicts() {
        List<MemoryMap> maps = PolicyShapedProgram.maps(16, 16).stream().map(s -> MemoryMap.create(s, 1)).toList();
        maps.get(0).update(PolicyShapedProgram.identityKey(Frames.ip("10.1.0.0"), 16), u32(100), BpfMap.ANY);
        maps.get(1).update(PolicyShapedProgram.policyKey(100, 8080, Frames.TCP), u32(1), BpfMap.ANY);
        var p = VmProgram.load("policy", ProgramType.XDP, PolicyShapedProgram.xdp().encode(PolicyShapedProgram::mapIndex), maps);
        int dst = Frames.ip("10.2.0.1");
        assertThat(vm.runXdp(p, Frames.tcp(Frames.ip("10.1.9.9"), dst, 1000, 8080, Frames.TCP_SYN), XdpMetadata.DEFAULT).valueOrThrow())
                .isEqualTo(PolicyShapedProgram.XDP_PASS);
        assertThat(vm.runXdp(p, Frames.tcp(Frames.ip("10.1.9.9"), dst, 1000, 8081, Frames.TCP_SYN), XdpMetadata.DEFAULT).valueOrThrow())
                .isEqualTo(PolicyShapedProgram.XDP_DROP);
        assertThat(vm.runXdp(p, Frames.tcp(Frames.ip("10.3.9.9"), dst, 1000, 8080, Frames.TCP_SYN), XdpMetadata.DEFAULT).valueOrThrow())
                .isEqualTo(PolicyShapedProgram.XDP_DROP);
        byte[] arp = new byte[42];
        arp[12] = 0x08; arp[13] = 0x06;
        assertThat(vm.runXdp(p, arp, XdpMetadata.DEFAULT).valueOrThrow()).isEqualTo(PolicyShapedProgram.XDP_PASS);
    }

    @Test
    void aRingBuffersStoreCannotBeAddressedThroughAForgedPointer() {
        RingBufferMap events = (RingBufferMap) MemoryMap.create(new MapSpec("events", MapType.RINGBUF, 0, 0, 4096, 0), 1);
        Assembler a = new Assembler().add(loadMap(R1, "0"), mov64(R2, 8), mov64(R3, 0), call(Helper.RINGBUF_RESERVE),
                jeq(R0, 0, "full"), mov64(R1, R0), mov64(R2, 0), call(Helper.RINGBUF_SUBMIT),
                lddw(R1, (11L << 32) | 8), stdw(R1, 0, 0x41)) // the ring's own value region, first map registered
                .label("full").add(mov64(R0, 0), exit());
        var result = vm.runRaw(program(ProgramType.RAW, a, List.of(events)), new byte[0]);
        assertThat(result).isInstanceOf(RunResult.Faulted.class);
        assertThat(((RunResult.Faulted) result).fault().getMessage()).contains("cannot be dereferenced");
    }

    @Test
    void reservationsPerRunAreBounded() {
        // 2 MiB: room for more 16-byte records than the cap (space is freed only when user space consumes)
        RingBufferMap events = (RingBufferMap) MemoryMap.create(new MapSpec("events", MapType.RINGBUF, 0, 0, 1 << 21, 0), 1);
        Assembler a = new Assembler().add(mov64(R6, 0)).label("top").add(
                loadMap(R1, "0"), mov64(R2, 8), mov64(R3, 0), call(Helper.RINGBUF_RESERVE), jeq(R0, 0, "next"),
                mov64(R1, R0), mov64(R2, 0), call(Helper.RINGBUF_DISCARD))
                .label("next").add(add64(R6, 1), jlt(R6, 100_000, "top"), mov64(R0, 0), exit());
        var result = vm.runRaw(program(ProgramType.RAW, a, List.of(events)), new byte[0]);
        assertThat(((RunResult.Faulted) result).fault().getMessage()).contains("ring buffer reservations in one run");
    }

    @Test
    void aDeletedEntryLeavesNoValueBehind() {
        MemoryMap hash = MemoryMap.create(MapSpec.hash("h", 4, 4, 4), 1);
        hash.update(u32(7), u32(0x41414141), BpfMap.ANY);
        int at = hash.lookupFrom(u32(7), 0, 0);
        hash.delete(u32(7));
        assertThat(java.util.Arrays.copyOfRange(hash.valueStore(), at, at + 4)).containsOnly(0);
    }
}
