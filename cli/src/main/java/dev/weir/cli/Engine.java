package dev.weir.cli;

import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.simulate.Datapath;
import dev.weir.datapath.kernel.Bpf;

/** Where simulated packets run. Lower case so that the option reads as users type it: --engine kernel. */
enum Engine {
    interpreter, kernel;

    Datapath open(CompiledCluster compiled) {
        if (this == interpreter) {
            return Datapath.interpreter(compiled);
        }
        // Probe first: "needs bpf" says more than the first map creation's errno would
        Bpf.unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException("the kernel engine needs bpf(2) (root or CAP_BPF): " + reason);
        });
        try {
            return Datapath.kernel(compiled);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the kernel engine could not load the programs: " + Weir.firstLine(String.valueOf(e.getMessage())), e);
        }
    }
}
