package dev.weir.bench;

import dev.weir.compiler.abi.LbMaps;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.cluster.ClusterLoader;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.CompiledProgram;
import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.compile.PodEndpoint;
import dev.weir.compiler.cluster.PodRef;
import dev.weir.compiler.policy.Direction;
import dev.weir.datapath.kernel.KernelMap;
import dev.weir.datapath.kernel.KernelProgram;
import dev.weir.datapath.kernel.ProgramChain;
import dev.weir.datapath.kernel.RunContexts;
import dev.weir.datapath.kernel.TestRun;
import dev.weir.datapath.kernel.TestRunRequest;
import dev.weir.datapath.packet.Frames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Kernel cost per packet (JIT, BPF_PROG_TEST_RUN, one run at a time) of a pod's egress program with an
 * egress policy that allows the backends: a connection to a ClusterIP (Service lookup, Maglev pick, two NAT
 * inserts, rewrite with checksums, then policy and a conntrack insert) and a packet of such an established
 * connection (NAT hit, rewrite, conntrack hit), next to the same connections made to the backend directly.
 * One run at a time because a repeated run would see its own rewritten packet. Needs root.
 * Run: java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar dev.weir.bench.ServiceTranslationCost [BACKENDS]
 */
public final class ServiceTranslationCost {
    private static final int VIP = Frames.ip("10.96.0.10"), CLIENT_PORT = 40_000, PORT = 80, TARGET = 8080;

    public static void main(String[] args) throws IOException {
        int backends = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path folder = Files.createTempDirectory("weir-bench-svc");
        try {
            Files.writeString(folder.resolve("cluster.yaml"), cluster(backends));
            CompiledCluster compiled = Compiler.compile(ClusterLoader.load(folder, w -> {}));
            measure(compiled);
        } finally {
            try (var files = Files.list(folder)) {
                for (Path file : files.toList()) Files.delete(file);
            }
            Files.delete(folder);
        }
    }

    private static String cluster(int backends) {
        var yaml = new StringBuilder("""
                apiVersion: v1
                kind: Pod
                metadata: {namespace: x, name: client, labels: {app: client}}
                spec: {containers: [{name: c, image: i}]}
                status: {podIP: 10.0.0.1}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {namespace: x, name: client-to-web}
                spec:
                  podSelector: {matchLabels: {app: client}}
                  policyTypes: [Egress]
                  egress:
                  - to: [{namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: 8080}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {namespace: y, name: web}
                spec: {clusterIP: 10.96.0.10, selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
                """);
        for (int i = 1; i <= backends; i++) {
            yaml.append("""
                    ---
                    apiVersion: v1
                    kind: Pod
                    metadata: {namespace: y, name: web-%d, labels: {app: web}}
                    spec: {containers: [{name: c, image: i}]}
                    status: {podIP: 10.0.%d.%d}
                    """.formatted(i, 1 + i / 250, 1 + i % 250));
        }
        return yaml.toString();
    }

    private static void measure(CompiledCluster compiled) {
        CompiledProgram program = compiled.program(compiled.namespace("x").program(Direction.EGRESS));
        System.out.printf("program %s (x egress, 1 policy): %d instructions; %d backends, Maglev rows of %d slots%n",
                program.name(), program.instructions(), compiled.contents().size(LbMaps.BACKENDS), compiled.sizes().lb().maglev());
        PodEndpoint client = compiled.endpoint(new PodRef("x", "client")).orElseThrow();
        try (var kernel = new KernelMaps(compiled, client)) {
            List<KernelMap> maps = kernel.maps;
            KernelMap conntrack = kernel.named(WeirMaps.CONNTRACK), nat = kernel.named(LbMaps.NAT);
            try (ProgramChain chain = ProgramChain.load(program.parts().stream().map(CompiledProgram.Part::spec).toList(), maps)) {
                KernelProgram loaded = chain.entry();
                byte[] toService = Frames.tcp(client.ipv4(), VIP, CLIENT_PORT, PORT, Frames.TCP_SYN);
                TestRun first = loaded.testRun(TestRunRequest.of(toService).withContext(RunContexts.skBuff(0, 0)));
                int backend = ByteBuffer.wrap(first.dataOut()).getInt(30);
                byte[] direct = Frames.tcp(client.ipv4(), backend, CLIENT_PORT, TARGET, Frames.TCP_SYN);
                // Later packets (ACKs): a SYN would be a new connection, judged and translated afresh.
                byte[] toServiceAck = Frames.tcp(client.ipv4(), VIP, CLIENT_PORT, PORT, Frames.TCP_ACK);
                byte[] directAck = Frames.tcp(client.ipv4(), backend, CLIENT_PORT, TARGET, Frames.TCP_ACK);
                byte[] ctKey = WeirMaps.connectionKey(client.ipv4(), backend, CLIENT_PORT, TARGET, 6);
                List<byte[]> natKeys = List.of(LbMaps.natKey(client.ipv4(), VIP, CLIENT_PORT, PORT, 6, LbMaps.FORWARD),
                        LbMaps.natKey(backend, client.ipv4(), TARGET, CLIENT_PORT, 6, LbMaps.REVERSE));
                for (int round = 0; round < 3; round++) {
                    long serviceNew = 0, serviceEstablished = 0, directNew = 0, directEstablished = 0;
                    int n = 20_000;
                    for (int i = 0; i < n; i++) {
                        conntrack.delete(ctKey);
                        natKeys.forEach(nat::delete);
                        serviceNew += run(loaded, toService);
                        serviceEstablished += run(loaded, toServiceAck);
                        conntrack.delete(ctKey);
                        directNew += run(loaded, direct);
                        directEstablished += run(loaded, directAck);
                    }
                    System.out.printf("round %d, ns per packet: to the ClusterIP new %d, established %d; to the backend directly new %d, established %d%n",
                            round + 1, serviceNew / n, serviceEstablished / n, directNew / n, directEstablished / n);
                }
            }
        }
    }

    private static long run(KernelProgram program, byte[] frame) {
        return program.testRun(TestRunRequest.of(frame).withContext(RunContexts.skBuff(0, 0))).durationNs();
    }
}
