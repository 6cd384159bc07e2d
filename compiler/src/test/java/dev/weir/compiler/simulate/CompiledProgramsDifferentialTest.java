package dev.weir.compiler.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.cluster.ClusterPod;
import dev.weir.compiler.cluster.ClusterState;
import dev.weir.compiler.compile.CompiledCluster;
import dev.weir.compiler.compile.CompiledProgram;
import dev.weir.compiler.compile.Compiler;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.property.RandomClusters;
import dev.weir.datapath.differential.Comparison;
import dev.weir.datapath.differential.DifferentialRunner;
import dev.weir.datapath.differential.Scenario;
import dev.weir.datapath.kernel.KernelTest;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.packet.Frames;
import dev.weir.datapath.vm.ProgramType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The differential harness on the compiler's own output: every program of random clusters, on random
 * packets (TCP, UDP, SCTP, ICMP, ARP, IPv6, fragments, truncated; pod and outside addresses; ports that
 * named ports use) with random connection-tracking state, run in the interpreter and the kernel from the
 * same maps. Return value, packet and every map after the run (conntrack entries included) must agree.
 */
@KernelTest
class CompiledProgramsDifferentialTest {

    private static final List<Integer> PORTS = List.of(53, 80, 81, 8080, 8099, 40000);

    static Stream<Long> seeds() {
        return LongStream.range(0, 15).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void interpreterAndKernelAgreeOnCompiledPrograms(long seed) {
        ClusterState cluster = new RandomClusters(seed).cluster();
        CompiledCluster compiled = Compiler.compile(cluster);
        var random = new SplittableRandom(seed);
        var runner = new DifferentialRunner();
        int compared = 0;
        for (CompiledProgram program : compiled.programs().values()) {
            for (int i = 0; i < 6; i++) {
                Scenario scenario = scenario(compiled, program, cluster, random, seed * 1000 + compared);
                Comparison comparison = runner.compare(scenario);
                assertThat(comparison.verifierRefusal()).as(program.name()).isNull();
                assertThat(comparison.agreed()).as(comparison.reproducer()).isTrue();
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(6);
    }

    private static Scenario scenario(CompiledCluster compiled, CompiledProgram program, ClusterState cluster,
                                     SplittableRandom random, long id) {
        List<ClusterPod> pods = cluster.pods();
        int src = address(pods, random), dst = address(pods, random);
        int sport = PORTS.get(random.nextInt(PORTS.size())), dport = PORTS.get(random.nextInt(PORTS.size()));
        int kind = random.nextInt(10);
        byte[] frame = switch (kind) {
            case 0, 1, 2 -> Frames.tcp(src, dst, sport, dport, random.nextBoolean() ? Frames.TCP_SYN : Frames.TCP_ACK);
            case 3, 4 -> Frames.udp(src, dst, sport, dport, new byte[random.nextInt(16)]);
            case 5 -> Frames.sctp(src, dst, sport, dport);
            case 6 -> icmp(Frames.udp(src, dst, 0, 0, new byte[8]));
            case 7 -> fragment(Frames.tcp(src, dst, sport, dport, Frames.TCP_SYN));
            case 8 -> java.util.Arrays.copyOf(Frames.udp(src, dst, sport, dport, new byte[4]), 34 + random.nextInt(4));
            default -> random.nextBoolean() ? arp() : ipv6();
        };
        var entries = new ArrayList<List<Scenario.Entry>>();
        for (String map : WeirMaps.NAMES) {
            var list = new ArrayList<Scenario.Entry>();
            compiled.contents().entries(map).forEach((k, v) -> list.add(new Scenario.Entry(k, v)));
            if (map.equals(WeirMaps.ENDPOINTS)) {
                // The interface the run happens on (ifindex 1) serves a random pod: often the packet's own end.
                ClusterPod pod = pods.get(random.nextInt(pods.size()));
                int address = random.nextInt(3) == 0 ? Frames.ip(pod.ip()) : random.nextBoolean() ? src : dst;
                var endpoint = compiled.endpoints().values().stream().filter(e -> e.ipv4() != null && e.ipv4() == address).findFirst();
                int ifindex = random.nextInt(8) == 0 ? 65_537 : 1; // sometimes a colliding interface's slot
                list.add(new Scenario.Entry(WeirMaps.endpointKey(1), WeirMaps.endpoint(ifindex, address, endpoint.map(e -> e.identity()).orElse(999))));
            }
            if (map.equals(WeirMaps.CONNTRACK) && random.nextInt(3) == 0) {
                int protocol = kind <= 2 ? 6 : kind <= 4 ? 17 : kind == 5 ? 132 : 1;
                boolean reply = random.nextBoolean();
                byte[] key = reply ? WeirMaps.connectionKey(dst, src, dport, sport, protocol)
                        : WeirMaps.connectionKey(src, dst, sport, dport, protocol);
                list.add(new Scenario.Entry(key, WeirMaps.u32AndPad(random.nextInt(16))));
            }
            entries.add(list);
        }
        // The endpoint table shrunk to 16 slots: the run only uses slot 1, and the harness compares every slot.
        List<MapSpec> maps = compiled.maps().stream()
                .map(spec -> spec.name().equals(WeirMaps.ENDPOINTS) ? MapSpec.array(WeirMaps.ENDPOINTS, spec.valueSize(), 16) : spec)
                .toList();
        return new Scenario(id, "diff_" + id, ProgramType.SCHED_CLS, program.entry().code(), maps, entries, frame);
    }

    /** A pod's address, an outside one, or (rarely) the same as the other end. */
    private static int address(List<ClusterPod> pods, SplittableRandom random) {
        if (random.nextInt(5) == 0) return Frames.ip("192.0.2." + (1 + random.nextInt(3)));
        return Frames.ip(pods.get(random.nextInt(pods.size())).ip());
    }

    private static byte[] icmp(byte[] udpFrame) {
        udpFrame[23] = 1; // protocol ICMP (the checksum no longer matches; the program does not check it)
        return udpFrame;
    }

    private static byte[] fragment(byte[] frame) {
        frame[20] = 0x00;
        frame[21] = 0x08; // offset 8 x 8 bytes
        return frame;
    }

    private static byte[] arp() {
        byte[] frame = new byte[42];
        frame[12] = 0x08;
        frame[13] = 0x06;
        return frame;
    }

    private static byte[] ipv6() {
        byte[] frame = new byte[74];
        frame[12] = (byte) 0x86;
        frame[13] = (byte) 0xdd;
        frame[14] = 0x60;
        return frame;
    }
}
