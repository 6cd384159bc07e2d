package dev.weir.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.abi.LbMaps;
import dev.weir.compiler.policy.Direction;
import dev.weir.datapath.isa.Code;
import dev.weir.datapath.kernel.KernelTest;
import dev.weir.datapath.maps.BpfMap;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.packet.Frames;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link ServiceTranslationTest}'s cases in the kernel, and the two engines side by side. */
@KernelTest
class KernelServiceTranslationTest extends ServiceTranslationTest {

    private Map<Direction, Code> programs;
    private List<MapSpec> specs;

    @Override
    Engine open(Map<Direction, Code> programs, List<MapSpec> specs) {
        this.programs = programs;
        this.specs = specs;
        return new KernelEngine(programs, specs);
    }

    /** Random flows to the Service and their replies: same verdicts, same packets, same translations. */
    @Test
    void theInterpreterAndTheKernelAgree() {
        try (Engine interpreter = new InterpreterEngine(programs, specs)) {
            copy(engine, interpreter);
            var random = new java.util.Random(11);
            for (int i = 0; i < 200; i++) {
                int protocol = List.of(Frames.TCP, Frames.UDP, Frames.SCTP).get(random.nextInt(3));
                int sport = 1024 + random.nextInt(60_000), dport = random.nextInt(4) == 0 ? PORT + 1 : PORT;
                int vip = random.nextInt(8) == 0 ? EMPTY_VIP : VIP;
                byte[] request = frame(protocol, CLIENT, vip, sport, dport, false);
                Engine.Run kernel = engine.run(Direction.EGRESS, request), vm = interpreter.run(Direction.EGRESS, request);
                assertThat(vm.action()).as("verdict of flow %d", i).isEqualTo(kernel.action());
                assertThat(vm.reason()).isEqualTo(kernel.reason());
                assertThat(vm.packet()).as("translated packet of flow %d", i).isEqualTo(kernel.packet());
                byte[] reply = frame(protocol, destination(kernel.packet()), CLIENT, destinationPort(kernel.packet()), sport, true);
                Engine.Run kernelReply = engine.run(Direction.INGRESS, reply), vmReply = interpreter.run(Direction.INGRESS, reply);
                assertThat(vmReply.action()).isEqualTo(kernelReply.action());
                assertThat(vmReply.packet()).as("reply of flow %d", i).isEqualTo(kernelReply.packet());
            }
            assertThat(entries(interpreter.map(LbMaps.NAT))).isEqualTo(entries(engine.map(LbMaps.NAT)));
            assertThat(entries(engine.map(LbMaps.NAT))).isNotEmpty();
        }
    }

    /**
     * Random Services (up to six, each with 0 to 8 backends on random ports, Maglev rows from the real
     * population, half with ClientIP affinity) and random packets to them and elsewhere, with replies: both engines give the same verdicts,
     * packets and translations, and every rewritten packet's checksums are valid.
     */
    @Test
    void randomServicesAndPacketsAgree() {
        var random = new java.util.Random(12);
        for (int trial = 0; trial < 5; trial++) {
            try (Engine kernel = new KernelEngine(programs, specs); Engine vm = new InterpreterEngine(programs, specs)) {
                var vips = new java.util.ArrayList<int[]>(); // {address, port, protocol}
                int nextBackend = 0;
                for (Engine e : List.of(kernel, vm)) {
                    e.map(dev.weir.compiler.abi.WeirMaps.ENDPOINTS).update(dev.weir.compiler.abi.WeirMaps.endpointKey(IFINDEX),
                            dev.weir.compiler.abi.WeirMaps.endpoint(IFINDEX, CLIENT, 100), 0);
                }
                int services = 1 + random.nextInt(6);
                for (int id = 0; id < services; id++) {
                    int vip = Frames.ip("10.96.1.0") + id, port = 1 + random.nextInt(65535);
                    int protocol = List.of(Frames.TCP, Frames.UDP, Frames.SCTP).get(random.nextInt(3));
                    var backends = new java.util.ArrayList<dev.weir.compiler.services.Backend>();
                    for (int b = random.nextInt(9); b > 0; b--) {
                        int target = protocol == Frames.SCTP ? port : 1 + random.nextInt(65535);
                        backends.add(new dev.weir.compiler.services.Backend(Frames.ip("10.0.3.0") + random.nextInt(250), target, null, null));
                    }
                    int first = nextBackend, flags = random.nextBoolean() ? LbMaps.FLAG_AFFINITY : 0;
                    int[] table = backends.isEmpty() ? new int[0] : dev.weir.compiler.services.Maglev.table(backends, MAGLEV);
                    int[] ids = java.util.Arrays.stream(table).map(position -> first + position).toArray();
                    for (Engine e : List.of(kernel, vm)) {
                        for (int b = 0; b < backends.size(); b++) {
                            e.map(LbMaps.BACKENDS).update(dev.weir.compiler.abi.WeirMaps.u32(first + b),
                                    LbMaps.backendValue(backends.get(b).address(), backends.get(b).port()), 0);
                        }
                        if (!backends.isEmpty()) e.map(LbMaps.MAGLEV).update(dev.weir.compiler.abi.WeirMaps.u32(id), LbMaps.maglevRow(ids), 0);
                        e.map(LbMaps.SERVICES).update(LbMaps.serviceKey(vip, port, protocol), LbMaps.serviceValue(id, backends.size(), flags, 100, first), 0);
                    }
                    nextBackend += backends.size();
                    vips.add(new int[] {vip, port, protocol});
                }
                for (int i = 0; i < 100; i++) {
                    int[] vip = vips.get(random.nextInt(vips.size()));
                    boolean elsewhere = random.nextInt(5) == 0;
                    int protocol = elsewhere ? List.of(Frames.TCP, Frames.UDP).get(random.nextInt(2)) : vip[2];
                    int sport = 1 + random.nextInt(65535);
                    byte[] request = frame(protocol, CLIENT, elsewhere ? OTHER : vip[0], sport, vip[1], false);
                    Engine.Run k = kernel.run(Direction.EGRESS, request), v = vm.run(Direction.EGRESS, request);
                    assertThat(v).usingRecursiveComparison().as("trial %d packet %d", trial, i).isEqualTo(k);
                    if (k.action() != 0) continue;
                    if (protocol != Frames.SCTP) assertChecksumsValid(k.packet(), protocol);
                    byte[] reply = frame(protocol, destination(k.packet()), CLIENT, destinationPort(k.packet()), sport, true);
                    Engine.Run kr = kernel.run(Direction.INGRESS, reply), vr = vm.run(Direction.INGRESS, reply);
                    assertThat(vr).usingRecursiveComparison().isEqualTo(kr);
                    if (protocol != Frames.SCTP) assertChecksumsValid(kr.packet(), protocol);
                    if (!elsewhere) {
                        assertThat(source(kr.packet())).isEqualTo(vip[0]);
                        assertThat(sourcePort(kr.packet())).isEqualTo(vip[1]);
                    }
                }
                assertThat(entries(vm.map(LbMaps.NAT))).isEqualTo(entries(kernel.map(LbMaps.NAT)));
                assertThat(entries(vm.map(dev.weir.compiler.abi.WeirMaps.CONNTRACK))).isEqualTo(entries(kernel.map(dev.weir.compiler.abi.WeirMaps.CONNTRACK)));
            }
        }
    }

    private static byte[] frame(int protocol, int from, int to, int sport, int dport, boolean reply) {
        return switch (protocol) {
            case Frames.TCP -> Frames.tcp(from, to, sport, dport, reply ? Frames.TCP_SYN | Frames.TCP_ACK : Frames.TCP_SYN);
            case Frames.UDP -> Frames.udp(from, to, sport, dport, new byte[8]);
            default -> Frames.sctp(from, to, sport, dport);
        };
    }

    /** The hand-filled maps of the kernel engine, into the interpreter's. */
    private static void copy(Engine from, Engine to) {
        for (String map : List.of(dev.weir.compiler.abi.WeirMaps.ENDPOINTS, LbMaps.SERVICES, LbMaps.BACKENDS, LbMaps.MAGLEV)) {
            BpfMap source = from.map(map), target = to.map(map);
            Optional<byte[]> key = source.nextKey(null);
            while (key.isPresent()) {
                byte[] k = key.get();
                source.lookup(k).ifPresent(v -> target.update(k, v, 0));
                key = source.nextKey(k);
            }
        }
    }

    private static Map<String, String> entries(BpfMap map) {
        var all = new TreeMap<String, String>();
        Optional<byte[]> key = map.nextKey(null);
        while (key.isPresent()) {
            byte[] k = key.get();
            all.put(java.util.HexFormat.of().formatHex(k), java.util.HexFormat.of().formatHex(map.lookup(k).orElseThrow()));
            key = map.nextKey(k);
        }
        return all;
    }
}
