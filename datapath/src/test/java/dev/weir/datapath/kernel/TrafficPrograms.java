package dev.weir.datapath.kernel;

import static dev.weir.datapath.asm.Asm.*;
import static dev.weir.datapath.isa.Register.*;

import dev.weir.datapath.asm.Assembler;
import dev.weir.datapath.isa.Helper;
import dev.weir.datapath.maps.MapSpec;
import dev.weir.datapath.vm.ProgramType;
import java.util.List;

/**
 * Hand-assembled policy programs for {@link RealTrafficTest}: they parse Ethernet, IPv4 (any header
 * length, first fragments only) and the UDP or TCP header, with the bounds checks the verifier
 * wants, and count their verdicts in array maps of u64 counters (atomic adds: several CPUs may run
 * a program at once).
 *
 * <p>Register use after {@link #parseIpv4}: R2 = data, R3 = data_end, R7 = IP protocol, R8 = start
 * of the L4 header (packet pointer with a variable offset: 14 + IHL*4). Helper calls clobber R1-R5,
 * so verdicts travel in R7 (counter slot) and R9 (return code) to the shared counting tail.
 */
final class TrafficPrograms {
    static final int XDP_DROP = 1, XDP_PASS = 2;
    static final int TC_ACT_OK = 0, TC_ACT_SHOT = 2;
    static final int IPPROTO_TCP = 6, IPPROTO_UDP = 17;
    static final int UDP_BLOCKED_PORT = 7001;
    static final int TCP_BLOCKED_PORT = 7002;

    /** xdp_stats slots: a guard built with base slot s counts passes in s and drops in s + 1. */
    static final int V1_PASSED = 0, V1_DROPPED = 1, V2_PASSED = 2, V2_DROPPED = 3;
    /** tc_ingress slots. */
    static final int INGRESS_PASSED = 0, INGRESS_SYN_DROPPED = 1;

    private static final int ETH_HLEN = 14, ETH_P_IP = 0x0800, IPV4_MIN_HLEN = 20;
    private static final int UDP_HLEN = 8, TCP_MIN_HLEN = 20, TCP_FLAGS = 13, TCP_SYN = 0x02, TCP_ACK = 0x10;
    /** xdp_md.data, data_end; __sk_buff.data, data_end. */
    private static final int XDP_DATA = 0, XDP_DATA_END = 4, SKB_DATA = 76, SKB_DATA_END = 80;

    private TrafficPrograms() {}

    static MapSpec xdpStatsSpec() {
        return MapSpec.array("xdp_stats", 8, 4);
    }

    static MapSpec ingressStatsSpec() {
        return MapSpec.array("tc_ingress", 8, 2);
    }

    /** One counter per IP protocol number. */
    static MapSpec egressByProtocolSpec() {
        return MapSpec.array("tc_egress", 8, 256);
    }

    /**
     * XDP: drops UDP to {@link #UDP_BLOCKED_PORT}, passes everything else (non-IPv4, other
     * protocols and ports, non-first fragments, truncated headers). Counts passes in
     * xdp_stats[baseSlot] and drops in xdp_stats[baseSlot + 1].
     */
    static ProgramSpec xdpUdpGuard(String name, int baseSlot) {
        Assembler a = new Assembler();
        a.add(mov64(R6, R1));
        parseIpv4(a, XDP_DATA, XDP_DATA_END, "pass");
        a.add(jne(R7, IPPROTO_UDP, "pass"),
              mov64(R0, R8), add64(R0, UDP_HLEN), jgt(R0, R3, "pass"),
              ldxh(R0, R8, 2), be16(R0),                          // destination port
              jeq(R0, UDP_BLOCKED_PORT, "drop"));
        a.label("pass").add(mov64(R7, baseSlot), mov64(R9, XDP_PASS), ja("count"));
        a.label("drop").add(mov64(R7, baseSlot + 1), mov64(R9, XDP_DROP));
        countAndReturn(a, "xdp_stats");
        return ProgramSpec.of(name, ProgramType.XDP, TestPrograms.encode(a.build(), List.of("xdp_stats")), xdpStatsSpec());
    }

    /**
     * tc ingress: drops TCP SYNs (SYN set, ACK clear: connection attempts, not SYN-ACKs) to
     * {@link #TCP_BLOCKED_PORT}; everything else goes on. Counts in tc_ingress.
     */
    static ProgramSpec tcSynGuard() {
        Assembler a = new Assembler();
        a.add(mov64(R6, R1));
        parseIpv4(a, SKB_DATA, SKB_DATA_END, "pass");
        a.add(jne(R7, IPPROTO_TCP, "pass"),
              mov64(R0, R8), add64(R0, TCP_MIN_HLEN), jgt(R0, R3, "pass"),
              ldxh(R0, R8, 2), be16(R0),
              jne(R0, TCP_BLOCKED_PORT, "pass"),
              ldxb(R0, R8, TCP_FLAGS), and64(R0, TCP_SYN | TCP_ACK),
              jne(R0, TCP_SYN, "pass"));
        a.label("drop").add(mov64(R7, INGRESS_SYN_DROPPED), mov64(R9, TC_ACT_SHOT), ja("count"));
        a.label("pass").add(mov64(R7, INGRESS_PASSED), mov64(R9, TC_ACT_OK));
        countAndReturn(a, "tc_ingress");
        return ProgramSpec.of("tc_syn_guard", ProgramType.SCHED_CLS, TestPrograms.encode(a.build(), List.of("tc_ingress")), ingressStatsSpec());
    }

    /** tc egress: counts IPv4 packets by protocol number in tc_egress (other frames uncounted); never drops. */
    static ProgramSpec tcProtocolCounter() {
        Assembler a = new Assembler();
        a.add(mov64(R6, R1));
        // Fragments count too: only the protocol byte matters here.
        parseIpv4(a, SKB_DATA, SKB_DATA_END, "skip", "count_proto");
        a.label("count_proto").add(mov64(R9, TC_ACT_OK), ja("count"));
        a.label("skip").add(mov64(R0, TC_ACT_OK), exit());
        countAndReturn(a, "tc_egress");
        return ProgramSpec.of("tc_proto_count", ProgramType.SCHED_CLS, TestPrograms.encode(a.build(), List.of("tc_egress")), egressByProtocolSpec());
    }

    private static void parseIpv4(Assembler a, int dataOff, int dataEndOff, String notIpv4) {
        parseIpv4(a, dataOff, dataEndOff, notIpv4, notIpv4);
    }

    /**
     * Loads data/data_end from the context in R6 and checks Ethernet + IPv4 headers; jumps to
     * {@code notIpv4} for anything else and to {@code fragment} for non-first fragments (which
     * carry no L4 header), leaving R7 = protocol there. Falls through with R8 at the L4 header.
     */
    private static void parseIpv4(Assembler a, int dataOff, int dataEndOff, String notIpv4, String fragment) {
        a.add(ldxw(R2, R6, dataOff), ldxw(R3, R6, dataEndOff),
              mov64(R4, R2), add64(R4, ETH_HLEN + IPV4_MIN_HLEN), jgt(R4, R3, notIpv4),
              ldxh(R5, R2, 12), be16(R5), jne(R5, ETH_P_IP, notIpv4),   // EtherType
              ldxb(R5, R2, ETH_HLEN),                                    // version and IHL
              mov64(R0, R5), and64(R0, 0xf0), jne(R0, 0x40, notIpv4),
              and64(R5, 0x0f), lsh64(R5, 2), jlt(R5, IPV4_MIN_HLEN, notIpv4), // header bytes: 20..60
              ldxb(R7, R2, ETH_HLEN + 9),                                // protocol
              ldxh(R0, R2, ETH_HLEN + 6), be16(R0), and64(R0, 0x1fff),   // fragment offset
              jne(R0, 0, fragment),
              mov64(R8, R2), add64(R8, ETH_HLEN), add64(R8, R5));        // L4 header
    }

    /** counters[R7] += 1 (when the lookup succeeds), then returns R9. */
    private static void countAndReturn(Assembler a, String map) {
        a.label("count").add(
              stxw(R10, -4, R7),
              loadMap(R1, map), mov64(R2, R10), add64(R2, -4),
              call(Helper.MAP_LOOKUP_ELEM),
              jeq(R0, 0, "return"),
              mov64(R1, 1), atomicAdd64(R0, 0, R1));
        a.label("return").add(mov64(R0, R9), exit());
    }

    /** Reads counters[slot] of an array map of u64 counters. */
    static long counter(KernelMap counters, int slot) {
        return counters.lookup(LittleEndian.u32(slot)).map(v -> LittleEndian.readU64(v, 0)).orElseThrow();
    }
}
