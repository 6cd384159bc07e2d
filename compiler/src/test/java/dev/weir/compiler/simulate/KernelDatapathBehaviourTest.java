package dev.weir.compiler.simulate;

import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.datapath.kernel.KernelTest;

/** {@link DatapathBehaviourTest}'s cases with the programs loaded into the kernel and run by BPF_PROG_TEST_RUN. */
@KernelTest
class KernelDatapathBehaviourTest extends DatapathBehaviourTest {

    @Override
    Datapath open(CompiledCluster compiled) {
        return Datapath.kernel(compiled);
    }
}
