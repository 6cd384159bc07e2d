package dev.weir.datapath.differential;

import static dev.weir.datapath.asm.Asm.*;
import static dev.weir.datapath.isa.Register.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.datapath.asm.Assembler;
import dev.weir.datapath.isa.Instruction.PacketLoad;
import dev.weir.datapath.isa.Size;
import dev.weir.datapath.kernel.KernelTest;
import dev.weir.datapath.packet.Frames;
import dev.weir.datapath.vm.ProgramType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LD_ABS / LD_IND in tc programs, interpreter against kernel: plain, network- and MAC-relative, out of bounds. */
@KernelTest
class LegacyPacketLoadDifferentialTest {
    private static final int NET = -0x100000, LL = -0x200000;

    @ParameterizedTest(name = "{0} offset {1} index {2}")
    @CsvSource({
            "B, 23, -1", "H, 36, -1", "W, 26, -1",           // protocol, destination port, source address
            "B, " + (NET + 9) + ", -1", "W, " + (NET + 12) + ", -1", // network-relative: protocol, source address
            "H, " + (LL + 12) + ", -1",                          // MAC-relative: EtherType
            "W, 5000, -1", "B, " + (NET + 5000) + ", -1",       // out of bounds: the program ends with 0
            "W, -8, 30", "H, 4, 32", "B, " + NET + ", 9",       // LD_IND: index register + offset
    })
    void interpreterAndKernelAgree(String size, int offset, int index) {
        Assembler a = new Assembler().add(mov64(R6, R1), mov64(R0, 77));
        if (index >= 0) a.add(mov64(R7, index));
        a.add(new PacketLoad(Size.valueOf(size), index >= 0 ? R7 : null, offset), exit());
        byte[] frame = Frames.tcp(Frames.ip("10.1.2.3"), Frames.ip("10.4.5.6"), 40000, 8080, Frames.TCP_SYN);
        Scenario s = new Scenario(offset, "ldabs", ProgramType.SCHED_CLS, a.build(), List.of(), List.of(), frame);
        Comparison c = new DifferentialRunner().compare(s);
        assertThat(c.agreed()).as(c::reproducer).isTrue();
    }
}
