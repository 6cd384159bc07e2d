package dev.weir.compiler.simulate;

import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.datapath.kernel.KernelTest;

/** {@link LargeProgramsTest}'s cases with every part loaded through the kernel verifier and run by BPF_PROG_TEST_RUN. */
@KernelTest
class KernelLargeProgramsTest extends LargeProgramsTest {

    @Override
    Datapath open(CompiledCluster compiled) {
        return Datapath.kernel(compiled);
    }
}
