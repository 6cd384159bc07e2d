package dev.weir.bench;

import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.cluster.Protocol;
import dev.weir.compiler.abi.Reason;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.CompiledProgram;
import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.policy.Direction;
import dev.weir.compiler.scale.SyntheticCluster;
import dev.weir.compiler.simulate.Connection;
import dev.weir.compiler.simulate.Datapath;
import dev.weir.compiler.simulate.Simulator;
import dev.weir.compiler.simulate.Target;
import dev.weir.datapath.kernel.KernelMap;
import dev.weir.datapath.kernel.KernelProgram;
import dev.weir.datapath.kernel.ProgramChain;
import dev.weir.datapath.kernel.RunContexts;
import dev.weir.datapath.kernel.TestRun;
import dev.weir.datapath.kernel.TestRunRequest;
import dev.weir.datapath.packet.Frames;
import java.util.ArrayList;
import java.util.List;

/**
 * Kernel cost per packet of a compiled ingress program (JIT, BPF_PROG_TEST_RUN), in the 10,001-pod,
 * 1,000-policy synthetic cluster: a packet denied by default deny (full evaluation every time), a packet of
 * an established connection (conntrack hit), and the first packet of an allowed connection (evaluation and
 * conntrack insert; measured one run at a time, the entry deleted between runs). Needs root. With
 * arguments {@code 1 20 10000}, one namespace of 10,000 policies: a program in tail-called parts.
 * Run: java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar dev.weir.bench.CompiledProgramCost
 */
public final class CompiledProgramCost {

    /** Arguments (optional): namespaces, pods per namespace, policies per namespace; 500 20 2 by default. */
    /** An address no policy allows (TEST-NET-1): its packets go through every policy to the default deny. */
    private static final int OUTSIDE = Frames.ip("192.0.2.1");

    public static void main(String[] args) {
        int namespaces = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int pods = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int policies = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        ClusterState cluster = SyntheticCluster.generate(namespaces, pods, policies, 1);
        CompiledCluster compiled = Compiler.compile(cluster);
        // Find a backend whose ingress allows a frontend by rule, and denies an outside address by default.
        try (Simulator simulator = new Simulator(compiled, Datapath.interpreter(compiled))) {
            for (ClusterPod backend : cluster.pods()) {
                if (!"backend".equals(backend.labels().get("tier"))) continue;
                ClusterPod frontend = sibling(cluster, backend, "frontend");
                for (int port : List.of(8080, 8081)) {
                    Connection allowed = simulator.connect(Target.pod(frontend.ref()), Target.pod(backend.ref()), port, Protocol.TCP);
                    Connection denied = simulator.connect(new Target.Address(OUTSIDE), Target.pod(backend.ref()), port, Protocol.TCP);
                    if (allowed.allowed() && allowed.request().get(1).reason() == Reason.RULE && !denied.allowed()
                            && denied.request().size() == 1 && denied.request().getFirst().reason() == Reason.DEFAULT_DENY) {
                        measure(compiled, backend, frontend, port);
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("no backend with the wanted policies in the synthetic cluster");
    }

    private static ClusterPod sibling(ClusterState cluster, ClusterPod pod, String tier) {
        return cluster.pods().stream().filter(p -> p.namespace().equals(pod.namespace()) && tier.equals(p.labels().get("tier")))
                .findFirst().orElseThrow();
    }

    private static void measure(CompiledCluster compiled, ClusterPod backend, ClusterPod frontend, int port) {
        CompiledProgram program = compiled.program(compiled.namespace(backend.namespace()).program(Direction.INGRESS));
        List<String> policies = compiled.namespace(backend.namespace()).ingressPolicies();
        System.out.printf("program %s (%s ingress, %d policies): %d instructions in %d parts; maps: %d addresses, %d rows of %d bytes, %d prefixes%n",
                program.name(), backend.namespace(), policies.size(), program.instructions(), program.parts().size(),
                compiled.contents().size(WeirMaps.IPCACHE), compiled.contents().size(WeirMaps.ROWS), compiled.sizes().rowBytes(),
                compiled.contents().size(WeirMaps.PREFIXES));
        var endpoint = compiled.endpoint(backend.ref()).orElseThrow();
        try (var kernel = new KernelMaps(compiled, endpoint)) { // the program serves the backend pod
            List<KernelMap> maps = kernel.maps;
            try (ProgramChain chain = ProgramChain.load(program.parts().stream().map(CompiledProgram.Part::spec).toList(), maps)) {
                KernelProgram loaded = chain.entry();
                int server = Frames.ip(backend.ip());
                byte[] allowed = Frames.tcp(Frames.ip(frontend.ip()), server, 40000, port, Frames.TCP_SYN);
                // Later packets of the connection: a SYN would be a new connection, judged again.
                byte[] allowedAck = Frames.tcp(Frames.ip(frontend.ip()), server, 40000, port, Frames.TCP_ACK);
                byte[] denied = Frames.tcp(OUTSIDE, server, 40000, port, Frames.TCP_SYN);
                KernelMap conntrack = kernel.named(WeirMaps.CONNTRACK);
                byte[] key = WeirMaps.connectionKey(Frames.ip(frontend.ip()), server, 40000, port, 6);
                for (int round = 0; round < 3; round++) {
                    long deny = run(loaded, denied, 1_000_000);
                    run(loaded, allowed, 1);
                    long established = run(loaded, allowedAck, 1_000_000);
                    long newSum = 0, establishedOne = 0;
                    int n = 20_000;
                    for (int i = 0; i < n; i++) {
                        conntrack.delete(key);
                        newSum += run(loaded, allowed, 1);
                        establishedOne += run(loaded, allowedAck, 1);
                    }
                    System.out.printf("round %d: denied %d ns, established %d ns (repeat 1,000,000); one run at a time: allowed new connection %d ns, established %d ns%n",
                            round + 1, deny, established, newSum / n, establishedOne / n);
                }
            }
        }
    }

    private static long run(KernelProgram program, byte[] frame, int repeat) {
        TestRun run = program.testRun(TestRunRequest.of(frame).withContext(RunContexts.skBuff(0, 0)).withRepeat(repeat));
        return run.durationNs();
    }
}
