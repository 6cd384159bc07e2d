package dev.weir.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.abi.LbMaps;
import dev.weir.compiler.abi.Reason;
import dev.weir.compiler.abi.Skb;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.policy.Direction;
import dev.weir.datapath.isa.Code;
import dev.weir.datapath.kernel.KernelMap;
import dev.weir.datapath.kernel.KernelProgram;
import dev.weir.datapath.kernel.ProgramSpec;
import dev.weir.datapath.kernel.RunContexts;
import dev.weir.datapath.kernel.TestRun;
import dev.weir.datapath.kernel.TestRunRequest;
import dev.weir.datapath.maps.BpfMap;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.maps.MemoryMap;
import dev.weir.datapath.packet.Frames;
import dev.weir.datapath.vm.Interpreter;
import dev.weir.datapath.vm.ProgramType;
import dev.weir.datapath.vm.RunResult;
import dev.weir.datapath.vm.SkbMetadata;
import dev.weir.datapath.vm.VmProgram;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Service translation code of the pod programs, on its own: a pod with no policies (so every packet the
 * translation lets through passes), load-balancing maps filled by hand. Runs in the interpreter here and in
 * the kernel in {@link KernelServiceTranslationTest}, which also checks both engines leave the same packets
 * and the same translations.
 */
class ServiceTranslationTest {
    static final int MAGLEV = 31; // a small prime: the row's length does not change the code's logic
    static final int IFINDEX = 1;
    static final int CLIENT = Frames.ip("10.0.0.1"), VIP = Frames.ip("10.96.0.10"), EMPTY_VIP = Frames.ip("10.96.0.11"),
            STICKY_VIP = Frames.ip("10.96.0.12"),
            OTHER = Frames.ip("10.0.0.9");
    static final int[] BACKENDS = {Frames.ip("10.0.1.1"), Frames.ip("10.0.1.2"), Frames.ip("10.0.1.3")};
    static final int PORT = 80, TARGET = 8080, CLIENT_PORT = 40_000;

    /** A tc program with its maps, in one engine. */
    interface Engine extends AutoCloseable {
        record Run(int action, int reason, byte[] packet) {}

        Run run(Direction direction, byte[] frame);

        BpfMap map(String name);

        @Override
        void close();
    }

    Engine engine;

    Engine open(Map<Direction, Code> programs, List<MapSpec> specs) {
        return new InterpreterEngine(programs, specs);
    }

    @BeforeEach
    void load() {
        var sizes = new WeirMaps.Sizes(1024, 64, 1024, 8, 256, 1024, new LbMaps.Sizes(16, 64, 64, MAGLEV, 1024));
        List<MapSpec> specs = WeirMaps.specs(sizes);
        var programs = new HashMap<Direction, Code>();
        for (Direction direction : Direction.values()) {
            programs.put(direction, PolicyProgramGenerator.generate(new ProgramPlan(direction, -1, List.of(), MAGLEV)).getFirst());
        }
        engine = open(programs, specs);
        engine.map(WeirMaps.ENDPOINTS).update(WeirMaps.endpointKey(IFINDEX), WeirMaps.endpoint(IFINDEX, CLIENT, 100), 0);
        for (int i = 0; i < BACKENDS.length; i++) {
            engine.map(LbMaps.BACKENDS).update(WeirMaps.u32(i), LbMaps.backendValue(BACKENDS[i], TARGET), 0);
        }
        int[] row = new int[MAGLEV];
        for (int slot = 0; slot < MAGLEV; slot++) row[slot] = slot % BACKENDS.length;
        engine.map(LbMaps.MAGLEV).update(WeirMaps.u32(0), LbMaps.maglevRow(row), 0);
        engine.map(LbMaps.MAGLEV).update(WeirMaps.u32(2), LbMaps.maglevRow(row), 0);
        for (int protocol : new int[] {Frames.TCP, Frames.UDP, Frames.SCTP}) {
            engine.map(LbMaps.SERVICES).update(LbMaps.serviceKey(VIP, PORT, protocol), LbMaps.serviceValue(0, BACKENDS.length, 0, 0, 0), 0);
            engine.map(LbMaps.SERVICES).update(LbMaps.serviceKey(EMPTY_VIP, PORT, protocol), LbMaps.serviceValue(1, 0, 0, 0, 0), 0);
            // Service port 2: the same backends (and row), ClientIP affinity for 10 s.
            engine.map(LbMaps.SERVICES).update(LbMaps.serviceKey(STICKY_VIP, PORT, protocol),
                    LbMaps.serviceValue(2, BACKENDS.length, LbMaps.FLAG_AFFINITY, 10, 0), 0);
        }
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aConnectionToAServiceGoesToABackendWithValidChecksumsAndTheReplyComesBackFromTheService() {
        byte[] syn = Frames.tcp(CLIENT, VIP, CLIENT_PORT, PORT, Frames.TCP_SYN);
        Engine.Run out = engine.run(Direction.EGRESS, syn);
        assertThat(out.action()).isEqualTo(Skb.TC_ACT_OK);
        int backend = destination(out.packet());
        assertThat(BACKENDS).contains(backend);
        assertThat(destinationPort(out.packet())).isEqualTo(TARGET);
        assertChecksumsValid(out.packet(), Frames.TCP);
        assertOnlyRewritten(syn, out.packet(), 30, 36, 34 + 16);

        byte[] synAck = Frames.tcp(backend, CLIENT, TARGET, CLIENT_PORT, Frames.TCP_SYN | Frames.TCP_ACK);
        Engine.Run reply = engine.run(Direction.INGRESS, synAck);
        assertThat(reply.action()).isEqualTo(Skb.TC_ACT_OK);
        assertThat(source(reply.packet())).isEqualTo(VIP);
        assertThat(sourcePort(reply.packet())).isEqualTo(PORT);
        assertChecksumsValid(reply.packet(), Frames.TCP);
        assertOnlyRewritten(synAck, reply.packet(), 26, 34, 34 + 16);
    }

    @Test
    void everyPacketOfAFlowKeepsItsBackendWhenTheMaglevRowChanges() {
        int first = destination(engine.run(Direction.EGRESS, Frames.tcp(CLIENT, VIP, CLIENT_PORT, PORT, Frames.TCP_SYN)).packet());
        int elsewhere = first == BACKENDS[0] ? 1 : 0;
        int[] row = new int[MAGLEV];
        Arrays.fill(row, elsewhere);
        engine.map(LbMaps.MAGLEV).update(WeirMaps.u32(0), LbMaps.maglevRow(row), 0);
        assertThat(destination(engine.run(Direction.EGRESS, Frames.tcp(CLIENT, VIP, CLIENT_PORT, PORT, Frames.TCP_ACK)).packet()))
                .isEqualTo(first);
        assertThat(destination(engine.run(Direction.EGRESS, Frames.tcp(CLIENT, VIP, CLIENT_PORT + 1, PORT, Frames.TCP_SYN)).packet()))
                .as("a new flow follows the new row").isEqualTo(BACKENDS[elsewhere]);
    }

    @Test
    void clientIpAffinityKeepsAClientOnItsBackendUntilItExpires() {
        int first = destination(engine.run(Direction.EGRESS, Frames.tcp(CLIENT, STICKY_VIP, 20_000, PORT, Frames.TCP_SYN)).packet());
        for (int port = 20_001; port < 20_050; port++) {
            assertThat(destination(engine.run(Direction.EGRESS, Frames.tcp(CLIENT, STICKY_VIP, port, PORT, Frames.TCP_SYN)).packet()))
                    .as("connection from port %d", port).isEqualTo(first);
        }
        BpfMap affinity = engine.map(LbMaps.AFFINITY);
        byte[] key = LbMaps.affinityKey(CLIENT, 2);
        ByteBuffer entry = ByteBuffer.wrap(affinity.lookup(key).orElseThrow()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(BACKENDS[entry.getInt(0)]).isEqualTo(first);
        long lastUse = entry.getLong(8);
        assertThat(lastUse).isPositive();

        // Remembered on another backend, recently: the client goes there.
        int other = first == BACKENDS[0] ? 1 : 0;
        affinity.update(key, ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(other).putInt(0).putLong(lastUse).array(), 0);
        assertThat(destination(engine.run(Direction.EGRESS, Frames.tcp(CLIENT, STICKY_VIP, 21_000, PORT, Frames.TCP_SYN)).packet()))
                .isEqualTo(BACKENDS[other]);

        // Long ago (the timeout passed): chosen afresh by Maglev and remembered. Over flows whose Maglev slot
        // is another backend's, the expired entry must not hold the client.
        int moved = 0;
        for (int port = 22_000; port < 22_030; port++) {
            affinity.update(key, ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(other).putInt(0).putLong(1).array(), 0);
            if (destination(engine.run(Direction.EGRESS, Frames.tcp(CLIENT, STICKY_VIP, port, PORT, Frames.TCP_SYN)).packet()) != BACKENDS[other]) moved++;
        }
        assertThat(moved).as("expired entries do not keep the client").isPositive();
        affinity.update(key, ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(other).putInt(0).putLong(1).array(), 0);
        int fresh = destination(engine.run(Direction.EGRESS, Frames.tcp(CLIENT, STICKY_VIP, 21_001, PORT, Frames.TCP_SYN)).packet());
        ByteBuffer renewed = ByteBuffer.wrap(affinity.lookup(key).orElseThrow()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(BACKENDS[renewed.getInt(0)]).isEqualTo(fresh);
        assertThat(renewed.getLong(8)).isGreaterThan(1);
        assertThat(affinity.lookup(LbMaps.affinityKey(CLIENT, 0))).as("no affinity without the flag").isEmpty();
    }

    @Test
    void flowsSpreadOverTheBackends() {
        var seen = new TreeMap<Integer, Integer>();
        for (int port = 0; port < 300; port++) {
            int backend = destination(engine.run(Direction.EGRESS, Frames.tcp(CLIENT, VIP, 20_000 + port, PORT, Frames.TCP_SYN)).packet());
            seen.merge(backend, 1, Integer::sum);
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrder(BACKENDS[0], BACKENDS[1], BACKENDS[2]);
        assertThat(seen.values()).allSatisfy(n -> assertThat(n).isBetween(60, 140));
    }

    @Test
    void udpKeepsItsChecksumValidOrAbsent() {
        byte[] checked = Frames.udp(CLIENT, VIP, CLIENT_PORT, PORT, new byte[8]);
        Engine.Run out = engine.run(Direction.EGRESS, checked);
        assertThat(destination(out.packet())).isIn(BACKENDS[0], BACKENDS[1], BACKENDS[2]);
        assertChecksumsValid(out.packet(), Frames.UDP);
        assertOnlyRewritten(checked, out.packet(), 30, 36, 34 + 6);

        byte[] unchecked = Frames.udp(CLIENT, VIP, CLIENT_PORT + 1, PORT, new byte[8]);
        unchecked[34 + 6] = 0;
        unchecked[34 + 7] = 0;
        Engine.Run bare = engine.run(Direction.EGRESS, unchecked);
        assertThat(bare.packet()[34 + 6]).isZero();
        assertThat(bare.packet()[34 + 7]).as("a UDP packet without checksum stays without").isZero();
        assertThat(destinationPort(bare.packet())).isEqualTo(TARGET);
    }

    @Test
    void sctpIsTranslatedWithoutTouchingItsChecksum() {
        byte[] frame = Frames.sctp(CLIENT, VIP, CLIENT_PORT, PORT);
        byte[] sctpChecksum = Arrays.copyOfRange(frame, 34 + 8, 34 + 12);
        // The compiler gives SCTP Service ports backends on the same port only; this row's go to 8080, so
        // check only what is the datapath's to keep: the address, the IP checksum, the SCTP checksum bytes.
        Engine.Run out = engine.run(Direction.EGRESS, frame);
        assertThat(destination(out.packet())).isIn(BACKENDS[0], BACKENDS[1], BACKENDS[2]);
        assertThat(Frames.checksum(out.packet(), 14, 20, 0)).isZero();
        assertThat(Arrays.copyOfRange(out.packet(), 34 + 8, 34 + 12)).isEqualTo(sctpChecksum);
    }

    @Test
    void aServiceWithoutBackendsRefusesAndOtherAddressesAreUntouched() {
        byte[] toEmpty = Frames.tcp(CLIENT, EMPTY_VIP, CLIENT_PORT, PORT, Frames.TCP_SYN);
        Engine.Run refused = engine.run(Direction.EGRESS, toEmpty);
        assertThat(refused.action()).as("sent back into the pod").isEqualTo(Skb.TC_ACT_REDIRECT);
        assertThat(Reason.of(refused.reason())).isEqualTo(Reason.NO_BACKEND);
        byte[] reset = refused.packet();
        assertThat(Arrays.copyOfRange(reset, 0, 6)).as("to the pod's MAC").isEqualTo(Arrays.copyOfRange(toEmpty, 6, 12));
        assertThat(Arrays.copyOfRange(reset, 6, 12)).isEqualTo(Arrays.copyOfRange(toEmpty, 0, 6));
        assertThat(source(reset)).isEqualTo(EMPTY_VIP);
        assertThat(destination(reset)).isEqualTo(CLIENT);
        assertThat(sourcePort(reset)).isEqualTo(PORT);
        assertThat(destinationPort(reset)).isEqualTo(CLIENT_PORT);
        ByteBuffer tcp = ByteBuffer.wrap(reset, 34, 20);
        assertThat(tcp.getInt(34 + 4)).as("sequence").isZero();
        assertThat(tcp.getInt(34 + 8)).as("acknowledges the SYN").isEqualTo(ByteBuffer.wrap(toEmpty).getInt(34 + 4) + 1);
        assertThat(reset[34 + 13]).as("RST|ACK").isEqualTo((byte) 0x14);
        assertChecksumsValid(reset, Frames.TCP);

        byte[] acked = Frames.tcp(CLIENT, EMPTY_VIP, CLIENT_PORT, PORT, Frames.TCP_ACK);
        ByteBuffer.wrap(acked).putInt(34 + 8, 777);
        acked[34 + 16] = 0;
        acked[34 + 17] = 0;
        int sum = Frames.checksum(acked, 34, 20, pseudo(acked));
        acked[34 + 16] = (byte) (sum >>> 8);
        acked[34 + 17] = (byte) sum;
        byte[] resetAcked = engine.run(Direction.EGRESS, acked).packet();
        assertThat(ByteBuffer.wrap(resetAcked).getInt(34 + 4)).as("RST at the acknowledged sequence").isEqualTo(777);
        assertThat(resetAcked[34 + 13]).isEqualTo((byte) 0x04);
        assertChecksumsValid(resetAcked, Frames.TCP);

        Engine.Run udp = engine.run(Direction.EGRESS, Frames.udp(CLIENT, EMPTY_VIP, CLIENT_PORT, PORT, new byte[8]));
        assertThat(udp.action()).as("UDP drops (no ICMP yet)").isEqualTo(Skb.TC_ACT_SHOT);
        assertThat(Reason.of(udp.reason())).isEqualTo(Reason.NO_BACKEND);

        byte[] plain = Frames.tcp(CLIENT, OTHER, CLIENT_PORT, PORT, Frames.TCP_SYN);
        Engine.Run passed = engine.run(Direction.EGRESS, plain);
        assertThat(passed.action()).isEqualTo(Skb.TC_ACT_OK);
        assertThat(passed.packet()).isEqualTo(plain);
        byte[] otherPort = Frames.tcp(CLIENT, VIP, CLIENT_PORT, PORT + 1, Frames.TCP_SYN);
        assertThat(engine.run(Direction.EGRESS, otherPort).packet()).as("a port the Service does not have").isEqualTo(otherPort);
        byte[] reply = Frames.tcp(OTHER, CLIENT, PORT, CLIENT_PORT, Frames.TCP_ACK);
        assertThat(engine.run(Direction.INGRESS, reply).packet()).as("a reply nobody translated").isEqualTo(reply);
    }

    @Test
    void bothTranslationsAreRecorded() {
        int backend = destination(engine.run(Direction.EGRESS, Frames.tcp(CLIENT, VIP, CLIENT_PORT, PORT, Frames.TCP_SYN)).packet());
        BpfMap nat = engine.map(LbMaps.NAT);
        var forward = LbMaps.Translation.of(nat.lookup(LbMaps.natKey(CLIENT, VIP, CLIENT_PORT, PORT, Frames.TCP, LbMaps.FORWARD)).orElseThrow());
        assertThat(forward.ipv4()).isEqualTo(backend);
        assertThat(forward.port()).isEqualTo(TARGET);
        assertThat(BACKENDS[forward.backendId()]).isEqualTo(backend);
        var reverse = LbMaps.Translation.of(nat.lookup(LbMaps.natKey(backend, CLIENT, TARGET, CLIENT_PORT, Frames.TCP, LbMaps.REVERSE)).orElseThrow());
        assertThat(reverse.ipv4()).isEqualTo(VIP);
        assertThat(reverse.port()).isEqualTo(PORT);
    }

    static int destination(byte[] frame) {
        return ByteBuffer.wrap(frame).getInt(30);
    }

    static int source(byte[] frame) {
        return ByteBuffer.wrap(frame).getInt(26);
    }

    static int destinationPort(byte[] frame) {
        return Short.toUnsignedInt(ByteBuffer.wrap(frame).getShort(36));
    }

    static int sourcePort(byte[] frame) {
        return Short.toUnsignedInt(ByteBuffer.wrap(frame).getShort(34));
    }

    /**
     * Only the address (4 bytes at {@code address}), the port (2 at {@code port}), the IPv4 checksum and the L4
     * checksum (2 at {@code l4Checksum}) changed: a checksum fix-up in the wrong place would still sum right.
     */
    static void assertOnlyRewritten(byte[] before, byte[] after, int address, int port, int l4Checksum) {
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.length; i++) {
            boolean rewritable = (i >= address && i < address + 4) || (i >= port && i < port + 2) || i == 24 || i == 25
                    || i == l4Checksum || i == l4Checksum + 1;
            if (!rewritable) assertThat(after[i]).as("byte %d", i).isEqualTo(before[i]);
        }
    }

    static long pseudo(byte[] frame) {
        ByteBuffer f = ByteBuffer.wrap(frame);
        int src = f.getInt(26), dst = f.getInt(30);
        return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + f.get(23) + (frame.length - 34);
    }

    /** The IPv4 header sums to zero, and so does the L4 segment with its pseudo-header. */
    static void assertChecksumsValid(byte[] frame, int protocol) {
        assertThat(Frames.checksum(frame, 14, 20, 0)).as("IPv4 header checksum").isZero();
        ByteBuffer f = ByteBuffer.wrap(frame);
        int length = frame.length - 34, src = f.getInt(26), dst = f.getInt(30);
        long pseudo = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
        assertThat(Frames.checksum(frame, 34, length, pseudo)).as("L4 checksum").isZero();
    }

    /** The programs in Weir's interpreter. */
    static final class InterpreterEngine implements Engine {
        private final Interpreter interpreter = new Interpreter();
        private final Map<String, MemoryMap> maps = new HashMap<>();
        private final Map<Direction, VmProgram> programs = new HashMap<>();

        InterpreterEngine(Map<Direction, Code> code, List<MapSpec> specs) {
            List<MemoryMap> list = new ArrayList<>();
            for (MapSpec spec : specs) {
                MemoryMap map = MemoryMap.create(spec, 1);
                list.add(map);
                maps.put(spec.name(), map);
            }
            code.forEach((direction, program) -> programs.put(direction,
                    VmProgram.load("t", ProgramType.SCHED_CLS, program.encode(WeirMaps::index), list)));
        }

        @Override
        public Run run(Direction direction, byte[] frame) {
            RunResult result = interpreter.runTc(programs.get(direction), frame, SkbMetadata.forPacket(frame, IFINDEX));
            var returned = (RunResult.Returned) result;
            return new Run((int) result.valueOrThrow(), interpreter.skbCb()[0], returned.packet());
        }

        @Override
        public BpfMap map(String name) {
            return maps.get(name);
        }

        @Override
        public void close() {}
    }

    /** The programs in the kernel, run by BPF_PROG_TEST_RUN. */
    static final class KernelEngine implements Engine {
        private final Map<String, KernelMap> maps = new HashMap<>();
        private final List<KernelMap> list = new ArrayList<>();
        private final Map<Direction, KernelProgram> programs = new HashMap<>();

        KernelEngine(Map<Direction, Code> code, List<MapSpec> specs) {
            try {
                for (MapSpec spec : specs) {
                    KernelMap map = KernelMap.create(spec);
                    list.add(map);
                    maps.put(spec.name(), map);
                }
                code.forEach((direction, program) -> programs.put(direction, KernelProgram.load(
                        ProgramSpec.of("weir_lb_test", ProgramType.SCHED_CLS, program.encode(WeirMaps::index), specs), list)));
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public Run run(Direction direction, byte[] frame) {
            TestRun run = programs.get(direction).testRun(TestRunRequest.of(frame).withContext(RunContexts.skBuff(0, 0)));
            return new Run((int) run.retval(), RunContexts.skBuffCb(run.contextOut())[0], run.dataOut());
        }

        @Override
        public BpfMap map(String name) {
            return maps.get(name);
        }

        @Override
        public void close() {
            programs.values().forEach(KernelProgram::close);
            list.forEach(KernelMap::close);
        }
    }

    static Optional<byte[]> entry(BpfMap map, byte[] key) {
        return map.lookup(key);
    }
}
