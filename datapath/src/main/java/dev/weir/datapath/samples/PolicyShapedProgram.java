package dev.weir.datapath.samples;

import static dev.weir.datapath.asm.Asm.*;
import static dev.weir.datapath.isa.Register.*;

import dev.weir.datapath.asm.Assembler;
import dev.weir.datapath.isa.Code;
import dev.weir.datapath.isa.Helper;
import dev.weir.datapath.isa.MapRef;
import dev.weir.datapath.maps.MapSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The "usual policy shape" the benchmarks measure, written with the assembler: parse
 * Ethernet/IPv4/TCP-or-UDP, look the source address up in an LPM trie of prefixes to get an
 * identity, then look {identity, destination port, protocol, direction} up in a policy hash,
 * falling back to the wildcard port 0. Allowed packets pass, others drop; non-IPv4 passes.
 * It mirrors the hand-written C reference program of ../shared/notes/ebpf-facts.md.
 */
public final class PolicyShapedProgram {
    public static final String IDENTITIES = "identities", POLICY = "policy";
    /** Identity of addresses no prefix covers ("world"). */
    public static final int WORLD = 2;
    public static final int XDP_DROP = 1, XDP_PASS = 2;

    private PolicyShapedProgram() {}

    public static List<MapSpec> maps(int prefixes, int policyEntries) {
        return List.of(
                MapSpec.lpmTrie(IDENTITIES, 4, 4, prefixes),
                MapSpec.hash(POLICY, 8, 4, policyEntries));
    }

    /** Map names resolve to indexes in {@link #maps} order (BPF_PSEUDO_MAP_IDX). */
    public static MapRef mapIndex(String name) {
        return new MapRef.Index(name.equals(IDENTITIES) ? 0 : 1);
    }

    public static Code xdp() {
        Assembler a = new Assembler();
        a.add(ldxw(R2, R1, 0),            // data
              ldxw(R3, R1, 4),            // data_end
              mov64(R4, R2), add64(R4, 34),
              jgt(R4, R3, "pass"),        // shorter than Ethernet + minimal IPv4
              ldxh(R5, R2, 12),
              jne(R5, 0x0008, "pass"),    // EtherType IPv4, as read little-endian
              ldxb(R6, R2, 23),           // protocol
              ldxb(R5, R2, 14), and64(R5, 0x0f), lsh64(R5, 2),
              jlt(R5, 20, "drop"),        // malformed IHL
              ldxw(R7, R2, 26),           // source address, network order
              mov64(R4, R2), add64(R4, 14), add64(R4, R5),
              mov64(R5, R4), add64(R5, 4),
              jgt(R5, R3, "drop"),        // truncated L4 header
              ldxh(R8, R4, 2),            // destination port, network order
              // identity = identities[{32, saddr}] or WORLD
              stw(R10, -8, 32), stxw(R10, -4, R7),
              loadMap(R1, IDENTITIES), mov64(R2, R10), add64(R2, -8),
              call(Helper.MAP_LOOKUP_ELEM),
              mov64(R9, WORLD),
              jeq(R0, 0, "have_identity"),
              ldxw(R9, R0, 0));
        a.label("have_identity").add(
              // key = {identity, dport, proto, direction 0 (ingress)}
              stxw(R10, -16, R9), stxh(R10, -12, R8), stxb(R10, -10, R6), stb(R10, -9, 0),
              loadMap(R1, POLICY), mov64(R2, R10), add64(R2, -16),
              call(Helper.MAP_LOOKUP_ELEM),
              jne(R0, 0, "pass"),
              // no rule for the port: try the wildcard port 0
              sth(R10, -12, 0),
              loadMap(R1, POLICY), mov64(R2, R10), add64(R2, -16),
              call(Helper.MAP_LOOKUP_ELEM),
              jne(R0, 0, "pass"));
        a.label("drop").add(mov64(R0, XDP_DROP), exit());
        a.label("pass").add(mov64(R0, XDP_PASS), exit());
        return a.build();
    }

    /** Identity trie key: prefix length (host order), then the IPv4 prefix (network order). */
    public static byte[] identityKey(int address, int prefixLength) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(prefixLength)
                .order(ByteOrder.BIG_ENDIAN).putInt(address).array();
    }

    /** Policy key: {identity, destination port (network order), protocol, direction 0 = ingress}. */
    public static byte[] policyKey(int identity, int port, int protocol) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(identity)
                .order(ByteOrder.BIG_ENDIAN).putShort((short) port).put((byte) protocol).put((byte) 0).array();
    }

    /** A u32 map value (identity or rule id), in host order. */
    public static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }
}
