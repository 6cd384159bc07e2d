package dev.weir.compiler.simulate;

import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.datapath.kernel.KernelTest;

/** {@link ServicesBeforePolicyTest}'s cases with the programs and maps in the kernel (BPF_PROG_TEST_RUN). */
@KernelTest
class KernelServicesBeforePolicyTest extends ServicesBeforePolicyTest {
    @Override
    Datapath open(CompiledCluster compiled) {
        return Datapath.kernel(compiled);
    }
}
