package dev.weir.compiler.codegen;

import static dev.weir.compiler.codegen.Stack.*;
import static dev.weir.datapath.asm.Asm.*;
import static dev.weir.datapath.isa.Register.*;

import dev.weir.compiler.abi.LbMaps;
import dev.weir.compiler.abi.Reason;
import dev.weir.compiler.abi.Skb;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.datapath.asm.Assembler;
import dev.weir.datapath.isa.Helper;
import dev.weir.datapath.isa.Register;

/**
 * Service translation in a pod's programs, before policy judges the packet (as Cilium's and Calico's eBPF
 * datapaths do, so policy sees the backend, never the Service address).
 *
 * <p>{@link #forward} runs in the pod's egress program: a TCP, UDP or SCTP packet to a frontend of
 * {@value LbMaps#SERVICES} is sent to the backend its connection already has ({@value LbMaps#NAT}, forward
 * kind), or else to the one the Service port's Maglev row gives for the 5-tuple's hash; the connection's
 * forward and reverse translations are recorded. The destination address and port are rewritten with
 * incremental L3/L4 checksum updates, and the parsed fields on the stack follow, so the policy checks and
 * connection tracking after it see the backend. A frontend with no backend refuses the connection ({@link #refuse}).
 *
 * <p>{@link #reverse} runs in the pod's ingress program on every packet the program lets through: a reply of
 * a connection whose conntrack entry carries {@link #CT_TRANSLATED} is looked up in the reverse translations
 * and rewritten to come from the Service address and port the client used. It runs after the verdict, so
 * connection tracking matches the reply's real tuple.
 *
 * <p>SCTP's checksum (CRC32c) covers no pseudo-header, so an address rewrite leaves it valid; a port rewrite
 * would not, which is why the compiler only gives SCTP Service ports backends on the same port.
 */
final class ServiceTranslation {
    /**
     * Conntrack value flag: the client's egress translated this connection, so its replies at the client's
     * ingress are looked up in the reverse translations (which every other packet is spared).
     */
    static final int CT_TRANSLATED = 0x100;
    private static final int BPF_ANY = 0, BPF_F_PSEUDO_HDR = 0x10, BPF_F_MARK_MANGLED_0 = 0x20;
    private static final int IP_CHECKSUM = 14 + 10, IP_SOURCE = 14 + 12, IP_DESTINATION = 14 + 16;
    private static final int TCP_CHECKSUM = 16, UDP_CHECKSUM = 6;
    /** TCP header flags (byte 13), which the policy checks read too. */
    static final int TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_ACK = 0x10;
    /** fmix64 of MurmurHash3: every bit of the 5-tuple moves every bit of the slot. */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L, FMIX1 = 0xff51afd7ed558ccdL, FMIX2 = 0xc4ceb9fe1a85ec53L;

    private final Assembler a;
    private final Register ctx;
    private final int maglev;

    /** @param maglev slots per Maglev row (the row's length, a prime) */
    ServiceTranslation(Assembler a, Register ctx, int maglev) {
        this.a = a;
        this.ctx = ctx;
        this.maglev = maglev;
    }

    /**
     * Zeroes the slots read on paths that may start before parsing finished (a verdict on a packet that is not
     * IPv4 runs {@link #reverse}), and the flags only some packets set. Runs first.
     */
    void clearSlots() {
        a.add(stw(R10, PROTO, 0), stw(R10, SADDR, 0), stw(R10, DADDR, 0), stw(R10, L4_OFFSET, 0), stw(R10, PORTS, 0),
              stdw(R10, CT_PTR, 0), stw(R10, TRANSLATED, 0), stw(R10, TCP_FLAGS, 0));
    }

    /**
     * Egress, after parsing: R7 and R8 hold the source and destination port as the packet has them.
     * Falls through when the packet goes to no Service address, or once it is translated.
     */
    void forward() {
        a.add(ldxw(R1, R10, PROTO),
              jeq(R1, 6, "lb_l4"), jeq(R1, 17, "lb_l4"), jeq(R1, 132, "lb_l4"),
              ja("lb_done"));
        a.label("lb_l4").add(
              // {daddr, dport, protocol, 0}
              ldxw(R1, R10, DADDR), mov64(R2, R8), lsh64(R2, 32), or64(R1, R2),
              ldxw(R2, R10, PROTO), lsh64(R2, 48), or64(R1, R2), stxdw(R10, SERVICE_KEY, R1),
              loadMap(R1, LbMaps.SERVICES), mov64(R2, R10), add64(R2, SERVICE_KEY),
              call(Helper.MAP_LOOKUP_ELEM),
              jeq(R0, 0, "lb_done"),
              stxdw(R10, SERVICE, R0));
        natKey(SADDR, DADDR, R7, R8, LbMaps.FORWARD);
        // A TCP SYN is a new connection: a backend is chosen afresh (affinity aside), never the one an old
        // connection on the same 5-tuple had, which may have left.
        a.add(ldxw(R1, R10, TCP_FLAGS), and64(R1, TCP_SYN | TCP_ACK), jeq(R1, TCP_SYN, "lb_pick"));
        rewriteTo(LbMaps.NAT, NAT_KEY, "lb_pick", "lb_rewrite");
        pick();
        record();
        a.label("lb_rewrite");
        rewrite(IP_DESTINATION, DADDR, R8, 2);
        // The checks after this see the backend; the connection's conntrack entry will say it was translated.
        a.add(stw(R10, TRANSLATED, CT_TRANSLATED),
              ldxw(R1, R10, REWRITE_ADDRESS), stxw(R10, DADDR, R1),
              ldxw(R8, R10, REWRITE_PORT),
              mov64(R1, R8), be16(R1), stxw(R10, DPORT, R1));
        a.label("lb_done");
    }

    /**
     * The backend for a new connection: with ClientIP affinity, the one this client used last within the
     * timeout; otherwise the Service port's Maglev row, slot by the 5-tuple's hash (and, with affinity, that
     * choice remembered). Leaves the backend id in SERVICE_KEY and its address and port in REWRITE.
     */
    private void pick() {
        a.label("lb_pick").add(
              ldxdw(R1, R10, SERVICE), ldxh(R2, R1, 4),
              jeq(R2, 0, "lb_refuse"),
              ldxh(R2, R1, 6), jset(R2, LbMaps.FLAG_AFFINITY, "lb_affinity"));
        a.label("lb_maglev").add(
              ldxw(R1, R10, SADDR), lsh64(R1, 32), ldxw(R2, R10, DADDR), or64(R1, R2),
              mov64(R2, R7), lsh64(R2, 16), or64(R2, R8), lsh64(R2, 8), ldxw(R3, R10, PROTO), or64(R2, R3),
              lddw(R3, GOLDEN), mul64(R2, R3), xor64(R1, R2));
        fmix(R1, FMIX1);
        fmix(R1, FMIX2);
        a.add(mov64(R2, R1), rsh64(R2, 33), xor64(R1, R2),
              mod64(R1, maglev),
              jge(R1, maglev, "drop_internal"), // never: tells the verifier the slot is inside the row
              lsh64(R1, 2), mov64(R9, R1),      // R9 is free until the policy checks start
              ldxdw(R1, R10, SERVICE), ldxw(R1, R1, 0), stxdw(R10, SERVICE_KEY, R1),
              loadMap(R1, LbMaps.MAGLEV), mov64(R2, R10), add64(R2, SERVICE_KEY),
              call(Helper.MAP_LOOKUP_ELEM),
              jeq(R0, 0, "drop_internal"),
              add64(R0, R9), ldxw(R1, R0, 0), stxdw(R10, SERVICE_KEY, R1),
              ldxdw(R1, R10, SERVICE), ldxh(R2, R1, 6), jset(R2, LbMaps.FLAG_AFFINITY, "lb_remember"));
        a.label("lb_backend");
        rewriteTo(LbMaps.BACKENDS, SERVICE_KEY, "drop_internal", "lb_picked");
        affinity();
        a.label("lb_picked");
    }

    /**
     * Looks the key at {@code keySlot} up in {@code map}, whose values start {address, port}: they become the
     * rewrite, and the program goes on at {@code then} ({@code missing} when there is no entry).
     */
    private void rewriteTo(String map, int keySlot, String missing, String then) {
        a.add(loadMap(R1, map), mov64(R2, R10), add64(R2, keySlot),
              call(Helper.MAP_LOOKUP_ELEM),
              jeq(R0, 0, missing),
              ldxw(R1, R0, 0), stxw(R10, REWRITE_ADDRESS, R1),
              ldxh(R1, R0, 4), stxw(R10, REWRITE_PORT, R1),
              ja(then));
    }

    /**
     * ClientIP session affinity ({@value LbMaps#AFFINITY}: {client, Service port id} to {backend id, 0, last
     * use in ns}): a backend used within the Service's timeout is used again, and each new connection renews
     * it, as kube-proxy's "recent" match does.
     */
    private void affinity() {
        a.label("lb_affinity").add(
              ldxw(R2, R10, SADDR), ldxw(R3, R1, 0), lsh64(R3, 32), or64(R2, R3), stxdw(R10, NAT_VALUE, R2),
              loadMap(R1, LbMaps.AFFINITY), mov64(R2, R10), add64(R2, NAT_VALUE),
              call(Helper.MAP_LOOKUP_ELEM),
              jeq(R0, 0, "lb_maglev"),
              stxdw(R10, REWRITE_ADDRESS, R0), // the entry, until the backend is known
              call(Helper.KTIME_GET_NS), mov64(R9, R0),
              ldxdw(R1, R10, REWRITE_ADDRESS), ldxdw(R2, R1, 8), mov64(R3, R9), sub64(R3, R2),
              ldxdw(R4, R10, SERVICE), ldxw(R4, R4, 8), mul64(R4, 1_000_000_000),
              jgt(R3, R4, "lb_maglev"),         // expired: chosen afresh (and remembered again)
              stxdw(R1, 8, R9),
              ldxw(R2, R1, 0), stxdw(R10, SERVICE_KEY, R2),
              ja("lb_backend"));
        a.label("lb_remember").add(
              ldxdw(R1, R10, SERVICE), ldxw(R2, R10, SADDR), ldxw(R3, R1, 0), lsh64(R3, 32), or64(R2, R3),
              stxdw(R10, NAT_VALUE, R2),
              ldxdw(R1, R10, SERVICE_KEY), stxdw(R10, TCP_HEADER, R1),
              call(Helper.KTIME_GET_NS), stxdw(R10, TCP_HEADER + 8, R0),
              loadMap(R1, LbMaps.AFFINITY), mov64(R2, R10), add64(R2, NAT_VALUE), mov64(R3, R10), add64(R3, TCP_HEADER),
              mov64(R4, BPF_ANY), call(Helper.MAP_UPDATE_ELEM),
              ja("lb_backend"));
    }

    /**
     * A Service port without backends refuses at once, as kube-proxy's REJECT rule does, never a silent
     * timeout: a TCP packet is turned into the reset its connection would get (addresses, ports and MACs
     * swapped; RST|ACK acknowledging a SYN, or RST at the acknowledged sequence) and sent back into the pod
     * with bpf_redirect_peer; the verdict is NO_BACKEND, counted as a drop. Other protocols drop (an ICMP
     * port-unreachable would need the packet to grow; not done yet).
     */
    void refuse() {
        a.label("lb_refuse").add(
              ldxw(R1, R10, PROTO), jne(R1, 6, "drop_no_backend"),
              // Ethernet: the MACs swapped.
              mov64(R1, ctx), mov64(R2, 0), mov64(R3, R10), add64(R3, NAT_KEY), mov64(R4, 12),
              call(Helper.SKB_LOAD_BYTES), jne(R0, 0, "drop_no_backend"),
              // In halfwords: the verifier refuses stack accesses not aligned to their size.
              ldxh(R1, R10, NAT_KEY + 6), stxh(R10, NAT_VALUE, R1), ldxh(R1, R10, NAT_KEY + 8), stxh(R10, NAT_VALUE + 2, R1),
              ldxh(R1, R10, NAT_KEY + 10), stxh(R10, NAT_VALUE + 4, R1),
              ldxh(R1, R10, NAT_KEY), stxh(R10, NAT_VALUE + 6, R1), ldxh(R1, R10, NAT_KEY + 2), stxh(R10, NAT_VALUE + 8, R1),
              ldxh(R1, R10, NAT_KEY + 4), stxh(R10, NAT_VALUE + 10, R1),
              mov64(R1, ctx), mov64(R2, 0), mov64(R3, R10), add64(R3, NAT_VALUE), mov64(R4, 12), mov64(R5, 0),
              call(Helper.SKB_STORE_BYTES),
              // IPv4: the addresses swapped, which leaves the header's checksum as it is.
              ldxw(R1, R10, DADDR), stxw(R10, NAT_VALUE, R1), ldxw(R1, R10, SADDR), stxw(R10, NAT_VALUE + 4, R1),
              mov64(R1, ctx), mov64(R2, IP_SOURCE), mov64(R3, R10), add64(R3, NAT_VALUE), mov64(R4, 8), mov64(R5, 0),
              call(Helper.SKB_STORE_BYTES),
              // TCP: ports swapped (the checksum does not mind), then sequence, acknowledgement and flags.
              mov64(R1, ctx), ldxw(R2, R10, L4_OFFSET), mov64(R3, R10), add64(R3, TCP_HEADER), mov64(R4, 20),
              call(Helper.SKB_LOAD_BYTES), jne(R0, 0, "drop_no_backend"),
              stxh(R10, TCP_HEADER, R8), stxh(R10, TCP_HEADER + 2, R7),
              ldxw(R1, R10, TCP_HEADER + 4), stxw(R10, REWRITE_ADDRESS, R1),
              ldxw(R1, R10, TCP_HEADER + 8), stxw(R10, REWRITE_PORT, R1),
              ldxh(R1, R10, TCP_HEADER + 12), stxw(R10, SERVICE_KEY, R1),
              ldxb(R3, R10, TCP_HEADER + 13), jset(R3, TCP_ACK, "rst_acked"),
              // No ACK (a SYN): RST|ACK with sequence 0, acknowledging what the segment occupied.
              mov64(R2, R3), and64(R2, TCP_SYN), rsh64(R2, 1), and64(R3, TCP_FIN), add64(R2, R3),
              ldxw(R1, R10, TCP_HEADER + 4), be32(R1), add64(R1, R2), be32(R1), stxw(R10, TCP_HEADER + 8, R1),
              stw(R10, TCP_HEADER + 4, 0), stb(R10, TCP_HEADER + 13, TCP_RST | TCP_ACK),
              ja("rst_write"));
        a.label("rst_acked").add(
              ldxw(R1, R10, TCP_HEADER + 8), stxw(R10, TCP_HEADER + 4, R1), stw(R10, TCP_HEADER + 8, 0),
              stb(R10, TCP_HEADER + 13, TCP_RST));
        a.label("rst_write").add(
              mov64(R1, ctx), ldxw(R2, R10, L4_OFFSET), mov64(R3, R10), add64(R3, TCP_HEADER), mov64(R4, 20), mov64(R5, 0),
              call(Helper.SKB_STORE_BYTES));
        checksumWord(REWRITE_ADDRESS, TCP_HEADER + 4, 4);
        checksumWord(REWRITE_PORT, TCP_HEADER + 8, 4);
        checksumWord(SERVICE_KEY, TCP_HEADER + 12, 2);
        a.add(mov64(R1, Reason.NO_BACKEND.code), stxw(ctx, Skb.CB_REASON, R1),
              ldxw(R1, ctx, Skb.IFINDEX), mov64(R2, 0), call(Helper.REDIRECT_PEER), mov64(R9, R0),
              // Counted as dropped (the endpoint slot's second counter), as every verdict is.
              ldxw(R1, ctx, Skb.IFINDEX), and64(R1, WeirMaps.ENDPOINT_SLOTS - 1), stxw(R10, ENDPOINT_KEY, R1),
              loadMap(R1, WeirMaps.VERDICTS), mov64(R2, R10), add64(R2, ENDPOINT_KEY),
              call(Helper.MAP_LOOKUP_ELEM),
              jeq(R0, 0, "rst_counted"),
              mov64(R1, 1), atomicAdd64(R0, 8, R1));
        a.label("rst_counted").add(mov64(R0, R9), exit());
    }

    /** The TCP checksum after a header word changed from the value at {@code oldSlot} to the one at {@code newSlot}. */
    private void checksumWord(int oldSlot, int newSlot, int size) {
        a.add(mov64(R1, ctx), ldxw(R2, R10, L4_OFFSET), add64(R2, TCP_CHECKSUM),
              ldxw(R3, R10, oldSlot), // a 2-byte old value was kept zero-extended in a word
              size == 4 ? ldxw(R4, R10, newSlot) : ldxh(R4, R10, newSlot),
              mov64(R5, size), call(Helper.L4_CSUM_REPLACE));
    }

    private void fmix(Register x, long multiplier) {
        a.add(mov64(R2, x), rsh64(R2, 33), xor64(x, R2), lddw(R3, multiplier), mul64(x, R3));
    }

    /** Records both translations of the new connection: forward (its backend), reverse (for the replies). */
    private void record() {
        // Forward, keyed as looked up: {backend address, backend port, 0, backend id, 0}.
        a.add(ldxw(R1, R10, REWRITE_ADDRESS), ldxw(R2, R10, REWRITE_PORT), lsh64(R2, 32), or64(R1, R2),
              stxdw(R10, NAT_VALUE, R1),
              ldxdw(R1, R10, SERVICE_KEY), stxdw(R10, NAT_VALUE + 8, R1),
              loadMap(R1, LbMaps.NAT), mov64(R2, R10), add64(R2, NAT_KEY), mov64(R3, R10), add64(R3, NAT_VALUE),
              mov64(R4, BPF_ANY),
              call(Helper.MAP_UPDATE_ELEM));
        // Reverse, keyed by the reply's tuple {backend, client, backend port, client port}: the frontend.
        a.add(ldxw(R1, R10, REWRITE_ADDRESS), ldxw(R2, R10, SADDR), lsh64(R2, 32), or64(R1, R2),
              stxdw(R10, NAT_KEY, R1),
              ldxw(R1, R10, REWRITE_PORT), mov64(R2, R7), lsh64(R2, 16), or64(R1, R2));
        natKeyTail(LbMaps.REVERSE);
        a.add(ldxw(R1, R10, DADDR), mov64(R2, R8), lsh64(R2, 32), or64(R1, R2), stxdw(R10, NAT_VALUE, R1),
              stdw(R10, NAT_VALUE + 8, 0),
              loadMap(R1, LbMaps.NAT), mov64(R2, R10), add64(R2, NAT_KEY), mov64(R3, R10), add64(R3, NAT_VALUE),
              mov64(R4, BPF_ANY),
              call(Helper.MAP_UPDATE_ELEM));
    }

    /**
     * Ingress, on a packet the program lets through (any verdict, before or after parsing): rewrites a
     * translated connection's reply to come from the Service. Uses only the stack, R6 and scratch registers.
     */
    void reverse() {
        // Only a reply of a connection whose entry says it was translated: one flag test, not a lookup.
        a.add(ldxdw(R1, R10, CT_PTR), jeq(R1, 0, "rn_done"),
              ldxw(R2, R1, 0), jset(R2, CT_TRANSLATED, "rn_l4"),
              ja("rn_done"));
        a.label("rn_l4").add(
              ldxw(R1, R10, SADDR), ldxw(R2, R10, DADDR), lsh64(R2, 32), or64(R1, R2), stxdw(R10, NAT_KEY, R1),
              ldxw(R1, R10, PORTS));
        natKeyTail(LbMaps.REVERSE);
        a.add(loadMap(R1, LbMaps.NAT), mov64(R2, R10), add64(R2, NAT_KEY),
              call(Helper.MAP_LOOKUP_ELEM),
              jeq(R0, 0, "rn_done"),
              ldxw(R1, R0, 0), stxw(R10, REWRITE_ADDRESS, R1),
              ldxh(R1, R0, 4), stxw(R10, REWRITE_PORT, R1),
              ldxw(R1, R10, PORTS), and64(R1, 0xffff), stxw(R10, NAT_VALUE, R1)); // the source port
        rewriteFromStack(IP_SOURCE, SADDR, NAT_VALUE, 0);
        a.label("rn_done");
    }

    /** NAT key {src, dst, R-ports...}: the first word from two address slots, then the ports in {@code sport}/{@code dport}. */
    private void natKey(int src, int dst, Register sport, Register dport, int kind) {
        a.add(ldxw(R1, R10, src), ldxw(R2, R10, dst), lsh64(R2, 32), or64(R1, R2), stxdw(R10, NAT_KEY, R1),
              mov64(R1, sport), mov64(R2, dport), lsh64(R2, 16), or64(R1, R2));
        natKeyTail(kind);
    }

    /** Second word of a NAT key: R1 holds the two ports; adds the protocol and the kind. */
    private void natKeyTail(int kind) {
        a.add(ldxw(R2, R10, PROTO), lsh64(R2, 32), or64(R1, R2),
              mov64(R2, kind), lsh64(R2, 40), or64(R1, R2),
              stxdw(R10, NAT_KEY + 8, R1));
    }

    /**
     * Rewrites the address at {@code addressOffset} (old value in stack slot {@code oldAddress}) to
     * REWRITE_ADDRESS and the port at L4 offset {@code portOffset} (old value in {@code oldPort}) to
     * REWRITE_PORT, keeping the IPv4 and L4 checksums right.
     */
    private void rewrite(int addressOffset, int oldAddress, Register oldPort, int portOffset) {
        a.add(stxw(R10, NAT_VALUE, oldPort));
        rewriteFromStack(addressOffset, oldAddress, NAT_VALUE, portOffset);
    }

    private void rewriteFromStack(int addressOffset, int oldAddress, int oldPortSlot, int portOffset) {
        String id = addressOffset == IP_SOURCE ? "rn" : "lb";
        a.add(mov64(R1, ctx), mov64(R2, IP_CHECKSUM), ldxw(R3, R10, oldAddress), ldxw(R4, R10, REWRITE_ADDRESS),
              mov64(R5, 4), call(Helper.L3_CSUM_REPLACE));
        // The L4 checksum covers the addresses (pseudo-header) and the ports: TCP at 16, UDP at 6 (0: none).
        a.add(ldxw(R1, R10, PROTO), jeq(R1, 132, id + "_store"),
              ldxw(R2, R10, L4_OFFSET), add64(R2, UDP_CHECKSUM), mov64(R5, BPF_F_MARK_MANGLED_0),
              jeq(R1, 17, id + "_l4sum"),
              add64(R2, TCP_CHECKSUM - UDP_CHECKSUM), mov64(R5, 0));
        a.label(id + "_l4sum").add(
              stxw(R10, SERVICE_KEY, R2), stxw(R10, SERVICE_KEY + 4, R5),
              mov64(R1, ctx), ldxw(R3, R10, oldAddress), ldxw(R4, R10, REWRITE_ADDRESS),
              or64(R5, BPF_F_PSEUDO_HDR | 4), call(Helper.L4_CSUM_REPLACE),
              ldxw(R3, R10, oldPortSlot), ldxw(R4, R10, REWRITE_PORT), jeq(R3, R4, id + "_store"),
              mov64(R1, ctx), ldxw(R2, R10, SERVICE_KEY), ldxw(R5, R10, SERVICE_KEY + 4), or64(R5, 2),
              call(Helper.L4_CSUM_REPLACE));
        a.label(id + "_store").add(
              mov64(R1, ctx), mov64(R2, addressOffset), mov64(R3, R10), add64(R3, REWRITE_ADDRESS), mov64(R4, 4),
              mov64(R5, 0), call(Helper.SKB_STORE_BYTES),
              ldxw(R3, R10, oldPortSlot), ldxw(R4, R10, REWRITE_PORT), jeq(R3, R4, id + "_stored"),
              mov64(R1, ctx), ldxw(R2, R10, L4_OFFSET), add64(R2, portOffset), mov64(R3, R10), add64(R3, REWRITE_PORT),
              mov64(R4, 2), mov64(R5, 0), call(Helper.SKB_STORE_BYTES));
        a.label(id + "_stored");
    }
}
