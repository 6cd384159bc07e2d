package dev.weir.compiler.codegen;

import dev.weir.compiler.policy.Direction;
import dev.weir.datapath.isa.Code;
import dev.weir.datapath.kernel.KernelTest;
import dev.weir.datapath.maps.MapSpec;
import java.util.List;
import java.util.Map;

/** {@link ConntrackReuseTest}'s cases in the kernel. */
@KernelTest
class KernelConntrackReuseTest extends ConntrackReuseTest {
    @Override
    ServiceTranslationTest.Engine open(Map<Direction, Code> programs, List<MapSpec> specs) {
        return new ServiceTranslationTest.KernelEngine(programs, specs);
    }
}
