package dev.weir.datapath.differential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.datapath.maps.BpfMap;
import dev.weir.datapath.maps.MemoryMap;
import dev.weir.datapath.vm.Interpreter;
import dev.weir.datapath.vm.ProgramType;
import dev.weir.datapath.vm.RunResult;
import dev.weir.datapath.vm.SkbMetadata;
import dev.weir.datapath.vm.VmProgram;
import dev.weir.datapath.vm.XdpMetadata;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generator's programs load and run cleanly in the interpreter; the same seed gives the same program. */
class ProgramGeneratorTest {
    @Test
    void generatedProgramsLoadAndRunWithoutFaults() {
        Interpreter vm = new Interpreter();
        int xdp = 0, tc = 0;
        for (long seed = 0; seed < 2000; seed++) {
            Scenario s = ProgramGenerator.generate(seed);
            List<MemoryMap> maps = s.maps().stream().map(spec -> MemoryMap.create(spec, 1)).toList();
            for (int i = 0; i < maps.size(); i++) {
                for (var e : s.initialEntries().get(i)) maps.get(i).update(e.key(), e.value(), BpfMap.ANY);
            }
            VmProgram p = VmProgram.load(s.name(), s.type(), s.bytecode(), maps);
            RunResult r = s.type() == ProgramType.XDP
                    ? vm.runXdp(p, s.packet(), XdpMetadata.DEFAULT)
                    : vm.runTc(p, s.packet(), SkbMetadata.forPacket(s.packet(), 1));
            assertThat(r).as("seed %d: %s", seed, r).isInstanceOf(RunResult.Returned.class);
            if (s.type() == ProgramType.XDP) xdp++; else tc++;
        }
        assertThat(xdp).isGreaterThan(800);
        assertThat(tc).isGreaterThan(800);
    }

    @Test
    void theSameSeedGivesTheSameBytes() {
        assertThat(ProgramGenerator.generate(99).bytecode()).isEqualTo(ProgramGenerator.generate(99).bytecode());
        assertThat(ProgramGenerator.generate(99).bytecode()).isNotEqualTo(ProgramGenerator.generate(100).bytecode());
    }
}
