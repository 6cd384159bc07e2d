package dev.weir.compiler.netpol;

import dev.weir.compiler.reference.ReachabilityEngine;
import dev.weir.compiler.reference.ReferenceEvaluator;
import dev.weir.compiler.simulate.CompiledEngine;
import java.util.List;

/**
 * The engines every table case and property runs on: the reference semantics and the compiled programs in
 * the interpreter. The kernel engine runs the same cases in {@code KernelEngineTest}, which needs bpf(2).
 */
public final class Engines {

    private Engines() {}

    public static List<ReachabilityEngine> all() {
        return List.of(new ReferenceEvaluator(), CompiledEngine.interpreter());
    }
}
