package dev.weir.datapath.vm;

import static dev.weir.datapath.asm.Asm.*;
import static dev.weir.datapath.isa.Register.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.datapath.asm.Assembler;
import dev.weir.datapath.isa.AluOp;
import dev.weir.datapath.isa.Bytecode;
import dev.weir.datapath.isa.Code;
import dev.weir.datapath.isa.Helper;
import dev.weir.datapath.isa.Imm;
import dev.weir.datapath.isa.Instruction;
import dev.weir.datapath.isa.JumpOp;
import dev.weir.datapath.isa.MapRef;
import dev.weir.datapath.packet.Frames;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterpreterTest {
    private final Interpreter vm = new Interpreter();
    private static final byte[] FRAME = Frames.udp(Frames.ip("10.0.0.1"), Frames.ip("10.0.0.2"), 1234, 53, new byte[10]);

    static VmProgram xdp(Code code) {
        return VmProgram.load("test", ProgramType.XDP, code.encode());
    }

    static VmProgram raw(Instruction... insns) {
        return VmProgram.load("test", ProgramType.RAW, Code.of(List.of(insns)).encode());
    }

    @Test
    void returnsTheComputedValue() {
        var p = raw(mov64(R0, 6), mul64(R0, 7), exit());
        assertThat(vm.runRaw(p, new byte[0]).valueOrThrow()).isEqualTo(42);
    }

    @Test
    void thirtyTwoBitOperationsZeroTheUpperHalf() {
        var p = raw(lddw(R0, -1L), add32(R0, 1), exit());
        assertThat(vm.runRaw(p, new byte[0]).valueOrThrow()).isZero();
    }

    @Test
    void xdpSeesThePacketBetweenDataAndDataEnd() {
        var p = xdp(new Assembler().add(ldxw(R2, R1, 0), ldxw(R0, R1, 4), sub64(R0, R2), exit()).build());
        var result = (RunResult.Returned) vm.runXdp(p, FRAME, XdpMetadata.DEFAULT);
        assertThat(result.value()).isEqualTo(FRAME.length);
        assertThat(result.packet()).isEqualTo(FRAME);
    }

    @Test
    void aStoreBeyondTheStackFaultsWithPcAddressSizeAndRegion() {
        var p = raw(mov64(R0, 0), stb(R10, 0, 1), exit());
        var result = vm.runRaw(p, new byte[0]);
        assertThat(result).isInstanceOf(RunResult.Faulted.class);
        VmFault fault = ((RunResult.Faulted) result).fault();
        assertThat(fault.pc()).isEqualTo(1);
        assertThat(fault.size()).isEqualTo(1);
        assertThat(fault.region()).isEqualTo("stack frame 0");
        assertThat(fault.describe()).contains("pc 1", "out of bounds store", "size 1", "stack frame 0");
    }

    @Test
    void aLoadPastDataEndFaultsAndNothingOutsideThePacketIsRead() {
        var p = xdp(new Assembler().add(ldxw(R2, R1, 4), ldxb(R0, R2, 0), exit()).build());
        var fault = ((RunResult.Faulted) vm.runXdp(p, FRAME, XdpMetadata.DEFAULT)).fault();
        assertThat(fault.region()).isEqualTo("packet");
        assertThat(fault.address() & 0xffffffffL).isEqualTo(Interpreter.HEADROOM + FRAME.length);
    }

    @Test
    void pointersThatAreNotPointersFault() {
        var p = raw(mov64(R1, 0x1234), ldxdw(R0, R1, 0), exit());
        assertThat(((RunResult.Faulted) vm.runRaw(p, new byte[0])).fault().getMessage()).contains("unmapped");
    }

    @Test
    void xdpContextIsReadOnlyAndFieldsMustBeReadWhole() {
        var write = xdp(new Assembler().add(stw(R1, 12, 5), mov64(R0, 2), exit()).build());
        assertThat(vm.runXdp(write, FRAME, XdpMetadata.DEFAULT)).isInstanceOf(RunResult.Faulted.class);
        var narrow = xdp(new Assembler().add(ldxb(R0, R1, 12), exit()).build());
        assertThat(vm.runXdp(narrow, FRAME, XdpMetadata.DEFAULT)).isInstanceOf(RunResult.Faulted.class);
        var ifindex = xdp(new Assembler().add(ldxw(R0, R1, 12), exit()).build());
        assertThat(vm.runXdp(ifindex, FRAME, new XdpMetadata(7, 0)).valueOrThrow()).isEqualTo(7);
    }

    @Test
    void adjustHeadMovesDataWithinTheHeadroom() {
        var strip = xdp(new Assembler().add(mov64(R2, 14), call(Helper.XDP_ADJUST_HEAD), exit()).build());
        var result = (RunResult.Returned) vm.runXdp(strip, FRAME, XdpMetadata.DEFAULT);
        assertThat(result.value()).isZero();
        assertThat(result.packet()).hasSize(FRAME.length - 14);

        var tooFar = xdp(new Assembler().add(mov64(R2, -Interpreter.HEADROOM), call(Helper.XDP_ADJUST_HEAD), exit()).build());
        assertThat(vm.runXdp(tooFar, FRAME, XdpMetadata.DEFAULT).valueOrThrow()).isEqualTo(-22L);
    }

    @Test
    void localCallsGetTheirOwnFrameAndKeepCalleeSavedRegisters() {
        Code code = new Assembler()
                .add(mov64(R6, 6), stdw(R10, -8, 77), mov64(R1, 5), callLocal("f"),
                     ldxdw(R1, R10, -8), add64(R0, R1), add64(R0, R6), exit())
                .label("f").add(mov64(R6, 0), stdw(R10, -8, 1000), mov64(R0, R1), exit())
                .build();
        assertThat(vm.runRaw(VmProgram.load("calls", ProgramType.RAW, code.encode()), new byte[0]).valueOrThrow())
                .isEqualTo(5 + 77 + 6);
    }

    @Test
    void anEndlessLoopStopsAtTheInstructionBudget() {
        Code code = new Assembler().add(mov64(R0, 0)).label("top").add(add64(R0, 1), jne(R0, 0, "top"), exit()).build();
        var small = new Interpreter(Interpreter.Options.defaults().withInstructionBudget(1000));
        var result = small.runRaw(VmProgram.load("loop", ProgramType.RAW, code.encode()), new byte[0]);
        assertThat(((RunResult.Faulted) result).fault().getMessage()).contains("budget");
        assertThat(result.instructions()).isEqualTo(1000);
    }

    @Test
    void boundedLoopsRun() {
        Code code = new Assembler().add(mov64(R0, 0), mov64(R1, 0))
                .label("top").add(add64(R0, R1), add64(R1, 1), jlt(R1, 100, "top"), exit()).build();
        assertThat(vm.runRaw(VmProgram.load("sum", ProgramType.RAW, code.encode()), new byte[0]).valueOrThrow())
                .isEqualTo(4950);
    }

    @Test
    void theLoaderRefusesWhatTheKernelWouldWithTheInstructionNamed() {
        assertThatThrownBy(() -> raw(mov64(R1, 1), new Instruction.CallHelper(63), exit()))
                .isInstanceOf(LoadException.class).hasMessageContaining("instruction 1").hasMessageContaining("unknown helper 63");
        assertThatThrownBy(() -> VmProgram.load("x", ProgramType.XDP,
                Code.of(List.of(call(Helper.SKB_LOAD_BYTES), exit())).encode()))
                .hasMessageContaining("bpf_skb_load_bytes#26").hasMessageContaining("XDP");
        assertThatThrownBy(() -> raw(alu(AluOp.MOV, true, R10, Imm.of(0)), exit()))
                .hasMessageContaining("r10");
        assertThatThrownBy(() -> VmProgram.load("x", ProgramType.SCHED_CLS,
                Code.of(List.of(stw(R10, -8, 0), ldxw(R0, R10, -6), exit())).encode()))
                .hasMessageContaining("instruction 1").hasMessageContaining("misaligned stack access");
        assertThat(VmProgram.load("x", ProgramType.SCHED_CLS,
                Code.of(List.of(stw(R10, -8, 0), ldxh(R0, R10, -6), exit())).encode())).isNotNull();
        assertThatThrownBy(() -> raw(mov64(R0, 0)))
                .hasMessageContaining("does not end with exit");
        assertThatThrownBy(() -> VmProgram.load("x", ProgramType.RAW, Bytecode.ofSlots(0x0000000000010005L, 0x95L)))
                .hasMessageContaining("leaves its function");
        // ja +1 over the first slot of an lddw lands in its middle
        assertThatThrownBy(() -> VmProgram.load("x", ProgramType.RAW,
                Bytecode.ofSlots(0x0000000000010005L, 0x0000000000000018L, 0L, 0x95L)))
                .hasMessageContaining("middle of lddw");
        assertThatThrownBy(() -> raw(loadMapIndex(3), exit())).hasMessageContaining("map index 3 is out of range");
    }

    private static Instruction loadMapIndex(int index) {
        return new Instruction.LoadImm64(R1, new dev.weir.datapath.isa.Imm64.Map(new MapRef.Index(index)));
    }

    @Test
    void jump32ComparesOnlyTheLowHalf() {
        Code code = new Assembler().add(lddw(R1, 0x1_0000_0005L), mov64(R0, 1),
                new Instruction.Jump(JumpOp.JEQ, false, R1, Imm.of(5), new dev.weir.datapath.isa.Target.Label("yes")),
                mov64(R0, 0)).label("yes").add(exit()).build();
        assertThat(vm.runRaw(VmProgram.load("j32", ProgramType.RAW, code.encode()), new byte[0]).valueOrThrow()).isEqualTo(1);
    }

    @Test
    void cmpxchgMayTakeR10AsItsValueRegisterSinceItWritesR0() {
        var p = raw(stdw(R10, -8, 5), mov64(R0, 5),
                new Instruction.Atomic(dev.weir.datapath.isa.AtomicOp.CMPXCHG, dev.weir.datapath.isa.Size.DW, R10, (short) -8, R10),
                exit());
        assertThat(vm.runRaw(p, new byte[0]).valueOrThrow()).isEqualTo(5);
    }
}
