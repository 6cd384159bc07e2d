package dev.weir.datapath.isa;

import static dev.weir.datapath.asm.Asm.*;
import static dev.weir.datapath.isa.Register.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.datapath.asm.Assembler;
import dev.weir.datapath.isa.Instruction.*;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EncodingTest {
    @Test
    void labelsResolveToSlotOffsetsCountingLddwAsTwo() {
        Code code = new Assembler().add(jeq(R1, 0, "end"), lddw(R0, 1L << 40)).label("end").add(exit()).build();
        Bytecode b = code.encode();
        assertThat(b.slotCount()).isEqualTo(4);
        assertThat(b.offset(0)).isEqualTo((short) 2);
        assertThat(Encoding.decode(b).instructions().get(1)).isEqualTo(new LoadImm64(R0, new Imm64.Constant(1L << 40)));
    }

    @Test
    void encodingErrorsNameTheInstructionAndTheLabel() {
        assertThatThrownBy(() -> new Assembler().add(mov64(R0, 0), ja("nowhere")).build().encode())
                .isInstanceOf(BytecodeException.class)
                .hasMessageContaining("instruction 1").hasMessageContaining("label 'nowhere' is not defined");
        assertThatThrownBy(() -> new Assembler().label("a").label("a"))
                .hasMessageContaining("label 'a' is defined twice");
        assertThatThrownBy(() -> new Assembler().add(loadMap(R1, "missing"), exit()).build()
                .encode(name -> null)).hasMessageContaining("map 'missing' is not defined");
    }

    @Test
    void aJumpBeyondSixteenBitsIsRefusedButJa32ReachesIt() {
        Assembler far = new Assembler().add(ja("end"));
        for (int i = 0; i < 40_000; i++) far.add(mov64(R0, 0));
        far.label("end").add(exit());
        assertThatThrownBy(() -> far.build().encode()).hasMessageContaining("more than a 16-bit offset holds");
        Assembler wide = new Assembler().add(new Goto(Target.label("end"), true));
        for (int i = 0; i < 40_000; i++) wide.add(mov64(R0, 0));
        wide.label("end").add(exit());
        assertThat(wide.build().encode().imm(0)).isEqualTo(40_000);
    }

    @Test
    void mapNamesResolveToFdsOrIndexes() {
        Code code = new Assembler().add(loadMap(R1, "policy"), loadMapValue(R2, "config", 8), exit()).build();
        Bytecode byIndex = code.encode(name -> new MapRef.Index(name.equals("policy") ? 0 : 1));
        assertThat(byIndex.src(0)).isEqualTo(Imm64.SRC_MAP_IDX);
        assertThat(byIndex.src(2)).isEqualTo(Imm64.SRC_MAP_IDX_VALUE);
        assertThat(byIndex.imm(3)).isEqualTo(8);
        Bytecode byFd = code.encode(name -> new MapRef.Fd(name.equals("policy") ? 5 : 6));
        assertThat(byFd.src(0)).isEqualTo(Imm64.SRC_MAP_FD);
        assertThat(byFd.imm(0)).isEqualTo(5);
    }

    @Test
    void everyValidSlotDecodesAndReencodesToTheSameBytes() {
        // Random 8-byte slots: whatever the strict decoder accepts must encode back bit for bit.
        Random random = new Random(7);
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            long slot = random.nextLong();
            if (random.nextBoolean()) slot &= 0xffff_ffff_0000_ffffL; // zero offsets more often
            Bytecode one = Bytecode.ofSlots(slot, 0L);
            Instruction insn;
            try {
                insn = Encoding.decodeAt(one, 0);
            } catch (BytecodeException e) {
                continue;
            }
            accepted++;
            Bytecode again = Code.of(List.of(insn)).encode(n -> null);
            assertThat(again.toHex().substring(0, insn.slots() * 16))
                    .as("%s", insn).isEqualTo(one.toHex().substring(0, insn.slots() * 16));
        }
        assertThat(accepted).isGreaterThan(1000);
    }

    @Test
    void codeIsAValueComparedByContent() {
        Code a = new Code(List.of(mov64(R0, 1), exit()), Map.of());
        Code b = new Code(List.of(mov64(R0, 1), exit()), Map.of());
        assertThat(a).isEqualTo(b);
        assertThat(a.encode()).isEqualTo(b.encode()).hasSameHashCodeAs(b.encode());
    }
}
