package dev.weir.compiler.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.compiler.abi.LbMaps;
import dev.weir.compiler.abi.Reason;
import dev.weir.compiler.abi.Skb;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.policy.Direction;
import dev.weir.datapath.isa.Code;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.packet.Frames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TCP SYN on a 5-tuple an earlier connection used is a new connection, judged by policy again: an entry
 * left from before a policy change lets the old connection's packets through (a policy change does not cut
 * established connections, as with Cilium and Calico) but not a new one. The pod here is isolated for ingress
 * with nothing allowed. Interpreter here, kernel in {@link KernelConntrackReuseTest}.
 */
class ConntrackReuseTest {
    static final int POD = Frames.ip("10.0.0.1"), PEER = Frames.ip("10.0.0.9"), IDENTITY = 100, MAGLEV = 31;
    /** PEER is the higher address of the key (compared as the program compares them), so PEER->POD is hi-to-lo. */
    static final int HL_DST = 8;

    ServiceTranslationTest.Engine engine;

    ServiceTranslationTest.Engine open(Map<Direction, Code> programs, List<MapSpec> specs) {
        return new ServiceTranslationTest.InterpreterEngine(programs, specs);
    }

    @BeforeEach
    void load() {
        var sizes = new WeirMaps.Sizes(1024, 64, 1024, 8, 256, 1024, new LbMaps.Sizes(16, 64, 64, MAGLEV, 1024));
        var denyAll = new ProgramPlan.PolicyPlan("x/deny-all", 1, List.of());
        Code ingress = PolicyProgramGenerator.generate(new ProgramPlan(Direction.INGRESS, 0, List.of(denyAll), MAGLEV)).getFirst();
        engine = open(Map.of(Direction.INGRESS, ingress), WeirMaps.specs(sizes));
        engine.map(WeirMaps.ENDPOINTS).update(WeirMaps.endpointKey(1), WeirMaps.endpoint(1, POD, IDENTITY), 0);
        byte[] row = new byte[8];
        row[0] = 0b11; // isolation bit 0, subject bit 1
        engine.map(WeirMaps.ROWS).update(WeirMaps.u32(IDENTITY), row, 0);
        engine.map(WeirMaps.ROWS).update(WeirMaps.u32(2), new byte[8], 0); // world
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aSynOnALeftoverEntryIsJudgedAgainAndTheEntryNoLongerLetsItsPacketsIn() {
        byte[] key = WeirMaps.connectionKey(PEER, POD, 40_000, 80, 6);
        engine.map(WeirMaps.CONNTRACK).update(key, WeirMaps.u32AndPad(HL_DST), 0);
        var ack = engine.run(Direction.INGRESS, Frames.tcp(PEER, POD, 40_000, 80, Frames.TCP_ACK));
        assertThat(Reason.of(ack.reason())).as("the old connection's packets").isEqualTo(Reason.ESTABLISHED);

        var syn = engine.run(Direction.INGRESS, Frames.tcp(PEER, POD, 40_000, 80, Frames.TCP_SYN));
        assertThat(syn.action()).isEqualTo(Skb.TC_ACT_SHOT);
        assertThat(Reason.of(syn.reason())).isEqualTo(Reason.DEFAULT_DENY);
        var after = engine.run(Direction.INGRESS, Frames.tcp(PEER, POD, 40_000, 80, Frames.TCP_ACK));
        assertThat(Reason.of(after.reason())).as("the refused connection's later packets").isEqualTo(Reason.DEFAULT_DENY);
    }

    @Test
    void aSynAckIsNoNewConnection() {
        byte[] key = WeirMaps.connectionKey(PEER, POD, 40_000, 80, 6);
        engine.map(WeirMaps.CONNTRACK).update(key, WeirMaps.u32AndPad(HL_DST), 0);
        var synAck = engine.run(Direction.INGRESS, Frames.tcp(PEER, POD, 40_000, 80, Frames.TCP_SYN | Frames.TCP_ACK));
        assertThat(Reason.of(synAck.reason())).isEqualTo(Reason.ESTABLISHED);
    }
}
