package dev.weir.datapath.asm;

import static dev.weir.datapath.asm.Asm.*;
import static dev.weir.datapath.isa.Register.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.datapath.isa.Code;
import dev.weir.datapath.isa.Instruction;
import dev.weir.datapath.isa.Target;
import dev.weir.datapath.vm.Interpreter;
import dev.weir.datapath.vm.ProgramType;
import dev.weir.datapath.vm.VmProgram;
import org.junit.jupiter.api.Test;

class LongJumpsTest {

    /** r1 = value; if r1 OP 5 goto far; then {@code filler} additions to r0 and exit; far: r0 = 1_000_000. */
    private static Code program(long value, Instruction test, int filler) {
        var a = new Assembler();
        a.add(mov64(R0, 0), mov64(R1, (int) value), test);
        for (int i = 0; i < filler; i++) a.add(add64(R0, 1));
        a.add(exit());
        a.label("far").add(mov64(R0, 1_000_000), exit());
        return a.build();
    }

    private static long run(Code code) {
        VmProgram program = VmProgram.load("far", ProgramType.RAW, code.encode());
        return new Interpreter().runRaw(program, new byte[8]).valueOrThrow();
    }

    @Test
    void aConditionalJumpOutOfReachGoesThroughAGotolAndKeepsItsMeaning() {
        Code taken = program(5, jeq(R1, 5, "far"), 40_000);
        assertThatThrownBy(taken::encode).hasMessageContaining("more than a 16-bit offset holds");
        Code relaxed = LongJumps.relax(taken);
        assertThat(relaxed.instructions()).hasSize(taken.instructions().size() + 2);
        assertThat(relaxed.instructions().get(4)).isEqualTo(new Instruction.Goto(Target.label("far"), true));
        assertThat(run(relaxed)).isEqualTo(1_000_000);
        assertThat(run(LongJumps.relax(program(4, jeq(R1, 5, "far"), 40_000)))).isEqualTo(40_000);
        // JSET has no inverse test; the rewrite needs none.
        assertThat(run(LongJumps.relax(program(4, jset(R1, 4, "far"), 40_000)))).isEqualTo(1_000_000);
        assertThat(run(LongJumps.relax(program(2, jset(R1, 4, "far"), 40_000)))).isEqualTo(40_000);
    }

    @Test
    void aFarJaBecomesAGotolAndNearCodeIsLeftAlone() {
        Code far = program(0, ja("far"), 40_000);
        Code relaxed = LongJumps.relax(far);
        assertThat(relaxed.instructions().get(2)).isEqualTo(new Instruction.Goto(Target.label("far"), true));
        assertThat(run(relaxed)).isEqualTo(1_000_000);
        Code near = program(5, jeq(R1, 5, "far"), 100);
        assertThat(LongJumps.relax(near)).isSameAs(near);
    }

    @Test
    void labelsThatMoveStillNameTheirInstruction() {
        var a = new Assembler();
        a.add(mov64(R0, 0), mov64(R1, 1), jeq(R1, 1, "far"), ja("middle"));
        for (int i = 0; i < 33_000; i++) a.add(add64(R0, 1));
        a.label("middle").add(mov64(R0, 7), exit());
        for (int i = 0; i < 33_000; i++) a.add(add64(R0, 1));
        a.label("far").add(jeq(R1, 1, "middle"), exit());
        Code relaxed = LongJumps.relax(a.build());
        assertThat(run(relaxed)).isEqualTo(7); // far, then back to middle: both jumps needed rewriting
    }

    @Test
    void relativeJumpsAreRefusedWhenCodeWouldMove() {
        var a = new Assembler();
        a.add(mov64(R0, 0), new Instruction.Goto(Target.relative(1), false), exit(), jeq(R0, 0, "far"));
        for (int i = 0; i < 40_000; i++) a.add(add64(R0, 1));
        a.add(exit());
        a.label("far").add(exit());
        assertThatThrownBy(() -> LongJumps.relax(a.build())).hasMessageContaining("relative jumps");
    }
}
