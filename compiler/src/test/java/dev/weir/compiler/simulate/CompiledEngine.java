package dev.weir.compiler.simulate;

import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.reference.Endpoint;
import dev.weir.compiler.reference.ReachabilityEngine;
import dev.weir.datapath.packet.Frames;
import java.util.function.Function;

/** The compiler's programs as a reachability engine: compile, load into a datapath, simulate each connection. */
public final class CompiledEngine implements ReachabilityEngine {

    private final String name;
    private final Function<CompiledCluster, Datapath> datapath;

    private CompiledEngine(String name, Function<CompiledCluster, Datapath> datapath) {
        this.name = name;
        this.datapath = datapath;
    }

    public static CompiledEngine interpreter() {
        return new CompiledEngine("interpreter", Datapath::interpreter);
    }

    public static CompiledEngine kernel() {
        return new CompiledEngine("kernel", Datapath::kernel);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Verdicts load(ClusterState cluster) {
        CompiledCluster compiled = Compiler.compile(cluster);
        if (!compiled.problems().isEmpty()) {
            throw new IllegalArgumentException("test cluster has invalid policies: " + compiled.problems());
        }
        Simulator simulator = new Simulator(compiled, datapath.apply(compiled));
        return new Verdicts() {
            @Override
            public boolean allows(Endpoint source, Endpoint destination, int port, Protocol protocol) {
                return simulator.connect(target(source), target(destination), port, protocol).allowed();
            }

            @Override
            public void close() {
                simulator.close();
            }
        };
    }

    private static Target target(Endpoint endpoint) {
        return switch (endpoint) {
            case Endpoint.Pod pod -> Target.pod(pod.ref());
            case Endpoint.External external -> Target.address(Frames.ip(external.ip()));
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
