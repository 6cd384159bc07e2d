package dev.weir.compiler.netpol;

import dev.weir.compiler.reference.ReachabilityEngine;
import dev.weir.compiler.reference.ReferenceEvaluator;
import java.util.List;

/** The engines every table case runs on; the compiled engines join this list as they arrive. */
public final class Engines {

    private Engines() {}

    public static List<ReachabilityEngine> all() {
        return List.of(new ReferenceEvaluator());
    }
}
