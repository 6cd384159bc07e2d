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
