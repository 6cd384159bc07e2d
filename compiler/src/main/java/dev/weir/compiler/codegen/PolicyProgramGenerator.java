package dev.weir.compiler.codegen;

import static dev.weir.datapath.asm.Asm.*;
import static dev.weir.compiler.codegen.Stack.*;
import static dev.weir.datapath.isa.Register.*;

import dev.weir.compiler.codegen.ProgramPlan.PeerCheck;
import dev.weir.compiler.codegen.ProgramPlan.PolicyPlan;
import dev.weir.compiler.codegen.ProgramPlan.PortCheck;
import dev.weir.compiler.codegen.ProgramPlan.RulePlan;
import dev.weir.compiler.identity.Identities;
import dev.weir.compiler.abi.Reason;
import dev.weir.compiler.abi.Skb;
import dev.weir.compiler.abi.WeirMaps;
import dev.weir.compiler.policy.Direction;
import dev.weir.datapath.asm.Assembler;
import dev.weir.datapath.asm.LongJumps;
import dev.weir.datapath.isa.Code;
import dev.weir.datapath.isa.Helper;
import dev.weir.datapath.isa.Instruction;
import dev.weir.datapath.isa.Target;
import dev.weir.datapath.isa.Register;
import dev.weir.compiler.codegen.PartSplitter.Numbered;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the tc program for one namespace and direction, Calico-style: one method per level (program,
 * policy, rule, port, peer), each rule jumping to its own "no match" label. The same plan always gives the
 * same instructions.
 *
 * <p>The program runs on a pod's host-side interface: {@link Direction#EGRESS} on its tc ingress (packets
 * leaving the pod), {@link Direction#INGRESS} on its tc egress (packets going to the pod). In order:
 * <ol>
 *   <li>parse Ethernet/IPv4/L4 (non-IPv4 passes, IPv6 and malformed packets drop);
 *   <li>find the pod this interface serves (by ifindex) and drop packets that do not carry its address;
 *   <li>egress: a connection to a Service address goes to a backend ({@link ServiceTranslation}), and
 *       everything after judges the backend;
 *   <li>a pod's traffic to itself passes;
 *   <li>connection tracking: a packet of a connection this hook (or, for replies, the peer's opposite hook)
 *       already allowed passes;
 *   <li>the pod's own identity row tells which policies select it (so pod churn never changes programs);
 *       traffic to and from the node (host identity) passes;
 *   <li>each selecting policy's rules match ports (in code) and peers (bits of the peer's identity row, or of
 *       its address prefix row for ipBlocks); a packet no rule allows drops if the pod's row has the
 *       namespace's isolation bit for the direction (some policy selects it), and passes otherwise;
 *   <li>allowed packets record the connection; the verdict's reason goes to skb->cb; at ingress, replies of
 *       translated connections are rewritten to come from the Service address.
 * </ol>
 *
 * <p>A namespace with many policies gets a program in parts (Calico splits its policy programs the same
 * way): the kernel verifies each part on its own, and past some tens of thousands of instructions, or 8,192
 * jumps along one path, it refuses a program. Part 0 is the program above; when its checks would exceed
 * {@link #PART_BUDGET} instructions, it ends its share of the policies with a tail call through the
 * program's own {@value WeirMaps#JUMPS} array to part 1, and so on. A later part parses the packet again
 * (its registers and stack start empty), skips the conntrack lookup (part 0 found no entry) and carries on
 * with the policy after the last one its predecessor judged; the policy number the default-deny reason
 * names travels in skb->cb[1]. A missing part (a tail call that falls through) drops. Rules with very many
 * ports or peers are checked in slices of at most {@value #RULE_SLICE} of each, so any rule fits.
 *
 * <p>Connection-tracking flags (value bits), named by connection direction (lo/hi: the lower and higher
 * address of the normalised key) and hook (SRC: the initiator's egress, DST: the responder's ingress):
 * LH_SRC 1, LH_DST 2, HL_SRC 4, HL_DST 8, and {@link ServiceTranslation#CT_TRANSLATED} on connections the
 * client's egress translated to a Service backend. An egress hook passes a packet going lo-to-hi if LH_SRC (its own
 * earlier verdict) or HL_DST (a reply to a connection the pod accepted) is set; the other cases follow.
 */
public final class PolicyProgramGenerator {

    /** Policy-check instructions a part holds at most (besides its parsing prologue and verdict tails). */
    public static final int PART_BUDGET = 8_000;
    /** Ports, and peers, a rule is checked with in one slice. */
    static final int RULE_SLICE = 256;
    static final int LH_SRC = 1, LH_DST = 2, HL_SRC = 4, HL_DST = 8;

    private static final int ETH_P_IP_LE = 0x0008, ETH_P_IPV6_LE = 0xdd86, BPF_NOEXIST = 1;

    // Registers that live across helper calls.
    // LAST_POLICY only explains a verdict: the program never branches on it, so the verifier never tracks
    // its value precisely and states that differ only there prune (which keeps verification linear).
    private static final Register CTX = R6, OWN_ROW = R7, PEER_ROW = R8, LAST_POLICY = R9;

    private final ProgramPlan plan;
    private final int part;
    private final boolean last;
    private final Assembler a = new Assembler();
    private final ServiceTranslation services;

    private PolicyProgramGenerator(ProgramPlan plan, int part, boolean last) {
        this.plan = plan;
        this.part = part;
        this.last = last;
        this.services = new ServiceTranslation(a, CTX, plan.maglevSize());
    }

    /**
     * The program's parts, part 0 first (the one attached); a single part for all but very large namespaces.
     *
     * @throws ProgramTooLarge when the plan needs more than {@value WeirMaps#MAX_PARTS} parts
     */
    public static List<Code> generate(ProgramPlan plan) {
        List<List<Numbered>> split = PartSplitter.split(plan.policies());
        if (split.size() > WeirMaps.MAX_PARTS) throw new ProgramTooLarge(plan.direction(), plan.policies().size(), split.size());
        var parts = new ArrayList<Code>();
        for (int k = 0; k < split.size(); k++) {
            var generator = new PolicyProgramGenerator(plan, k, k + 1 == split.size());
            parts.add(generator.program(split.get(k)));
        }
        return parts;
    }

    /** @param judged the policies (or slices of one) this part judges, with their numbers in the program */
    private Code program(List<Numbered> judged) {
        boolean translates = plan.direction() == Direction.EGRESS && part == 0;
        services.clearSlots();
        parse();
        endpoint();
        if (translates) services.forward();
        selfAndConntrack(part == 0, translates);
        // The verdicts the prologue jumps to sit right after it: conditional jumps reach only 32,767 slots,
        // and a namespace's policies can take more than that.
        a.add(ja("evaluate"));
        verdict("allow_not_ip", Reason.NOT_IPV4);
        verdict("allow_self", Reason.SELF);
        verdict("allow_established", Reason.ESTABLISHED);
        verdict("drop_ipv6", Reason.IPV6);
        verdict("drop_malformed", Reason.MALFORMED);
        verdict("drop_fragment", Reason.FRAGMENT);
        verdict("drop_unknown_endpoint", Reason.UNKNOWN_ENDPOINT);
        verdict("drop_address_mismatch", Reason.ADDRESS_MISMATCH);
        verdict("drop_internal", Reason.INTERNAL);
        if (translates) {
            services.refuse();
            verdict("drop_no_backend", Reason.NO_BACKEND);
        }
        a.label("allow_host").add(mov64(R1, Reason.HOST.code), stxw(CTX, Skb.CB_REASON, R1),
                new Instruction.Goto(Target.label("track"), true));
        a.label("evaluate");
        if (!plan.policies().isEmpty()) {
            // Isolated pods drop what no rule allows: the isolation bit (any of these policies selects the
            // pod) is tested once, after the rules.
            lookUpRows();
            // Part 0 starts the count; a later part continues its predecessor's.
            a.add(part == 0 ? mov64(LAST_POLICY, 0) : ldxw(LAST_POLICY, CTX, Skb.CB_POLICY));
            for (int i = 0; i < judged.size(); i++) {
                policy(i, judged.get(i), i + 1 == judged.size() ? "policies_done" : policyLabel(i + 1));
            }
            a.label("policies_done");
            if (last) {
                testBit(OWN_ROW, plan.isolationBit(), true, "deny_default");
            } else {
                nextPart();
            }
        }
        a.label("allow_not_isolated").add(mov64(R1, Reason.NOT_ISOLATED.code), stxw(CTX, Skb.CB_REASON, R1), ja("track"));
        a.label("allow_rule").add(mov64(R1, Reason.RULE.code), stxw(CTX, Skb.CB_REASON, R1), ja("track"));
        track();
        verdict("deny_default", Reason.DEFAULT_DENY);
        count();
        return LongJumps.relax(DeadCode.strip(a.build()));
    }

    /** Continues with the next part; if it is missing (the tail call falls through), drops. */
    private void nextPart() {
        a.add(stxw(CTX, Skb.CB_POLICY, LAST_POLICY),
              mov64(R1, CTX), loadMap(R2, WeirMaps.JUMPS), mov64(R3, part + 1),
              call(Helper.TAIL_CALL),
              new Instruction.Goto(Target.label("drop_internal"), true));
    }

    /** Ethernet, IPv4 and the L4 ports; leaves the fields in their stack slots. */
    private void parse() {
        a.add(mov64(CTX, R1),
              ldxw(R2, CTX, Skb.DATA),
              ldxw(R3, CTX, Skb.DATA_END),
              mov64(R4, R2), add64(R4, 14),
              jgt(R4, R3, "allow_not_ip"),                // no Ethernet header: not ours to judge
              ldxh(R5, R2, 12),
              jeq(R5, ETH_P_IPV6_LE, "drop_ipv6"),
              jne(R5, ETH_P_IP_LE, "allow_not_ip"),
              mov64(R4, R2), add64(R4, 34),
              jgt(R4, R3, "drop_malformed"),
              ldxb(R5, R2, 14), and64(R5, 0x0f), lsh64(R5, 2),
              jlt(R5, 20, "drop_malformed"),
              ldxh(R1, R2, 20), be16(R1), and64(R1, 0x1fff),
              jne(R1, 0, "drop_fragment"),
              ldxb(R1, R2, 23), stxw(R10, PROTO, R1),
              ldxw(R1, R2, 26), stxw(R10, SADDR, R1),
              ldxw(R1, R2, 30), stxw(R10, DADDR, R1),
              mov64(R7, 0), mov64(R8, 0),                 // source and destination port, network order
              ldxw(R1, R10, PROTO),
              jeq(R1, 6, "l4"), jeq(R1, 17, "l4"), jeq(R1, 132, "l4"),
              ja("ports_done"));
        a.label("l4").add(
              mov64(R4, R2), add64(R4, 14), add64(R4, R5),
              mov64(R1, R4), add64(R1, 4),
              jgt(R1, R3, "drop_malformed"),
              ldxh(R7, R4, 0), ldxh(R8, R4, 2),
              ldxw(R1, R4, 0), stxw(R10, PORTS, R1),
              mov64(R1, R5), add64(R1, 14), stxw(R10, L4_OFFSET, R1),
              ldxw(R1, R10, PROTO), jne(R1, 6, "ports_done"),
              mov64(R1, R4), add64(R1, 14),
              jgt(R1, R3, "drop_malformed"),              // a TCP header without its flags
              ldxb(R1, R4, 13), stxw(R10, TCP_FLAGS, R1));
        a.label("ports_done").add(mov64(R1, R8), be16(R1), stxw(R10, DPORT, R1));
    }

    /**
     * Which pod this hook serves comes from the interface (skb->ifindex in {@value WeirMaps#ENDPOINTS}), never
     * from the packet: a pod's own address must be the packet's source at egress and its destination at
     * ingress. Without this a pod could spoof another's address and open conntrack entries for it.
     */
    private void endpoint() {
        int own = plan.direction() == Direction.EGRESS ? SADDR : DADDR;
        a.add(ldxw(R1, CTX, Skb.IFINDEX), and64(R1, WeirMaps.ENDPOINT_SLOTS - 1), stxw(R10, ENDPOINT_KEY, R1),
              loadMap(R1, WeirMaps.ENDPOINTS), mov64(R2, R10), add64(R2, ENDPOINT_KEY),
              call(Helper.MAP_LOOKUP_ELEM),
              jeq(R0, 0, "drop_unknown_endpoint"),
              ldxw(R1, R0, 0), ldxw(R2, CTX, Skb.IFINDEX),
              jne(R1, R2, "drop_unknown_endpoint"),      // an empty slot, or another interface's
              ldxw(R1, R0, 4), ldxw(R2, R10, own),
              jne(R1, R2, "drop_address_mismatch"),
              ldxw(R1, R0, 8), stxw(R10, OWN_IDENTITY, R1));
    }

    /**
     * @param lookUp     whether to look the connection up (a later part knows part 0 found nothing)
     * @param translates whether Service translation ran before (its flag goes into the entry)
     */
    private void selfAndConntrack(boolean lookUp, boolean translates) {
        boolean egress = plan.direction() == Direction.EGRESS;
        a.add(ldxw(R1, R10, SADDR), ldxw(R2, R10, DADDR),
              jeq(R1, R2, "allow_self"),
              jgt(R1, R2, "source_high"),
              stxw(R10, CT_KEY, R1), stxw(R10, CT_KEY + 4, R2), stxh(R10, CT_KEY + 8, R7), stxh(R10, CT_KEY + 10, R8),
              stw(R10, CT_MASK, egress ? LH_SRC | HL_DST : LH_DST | HL_SRC),
              stw(R10, CT_SET, egress ? LH_SRC : LH_DST),
              ja("key_done"));
        a.label("source_high").add(
              stxw(R10, CT_KEY, R2), stxw(R10, CT_KEY + 4, R1), stxh(R10, CT_KEY + 8, R8), stxh(R10, CT_KEY + 10, R7),
              stw(R10, CT_MASK, egress ? HL_SRC | LH_DST : HL_DST | LH_SRC),
              stw(R10, CT_SET, egress ? HL_SRC : HL_DST));
        a.label("key_done").add(ldxw(R1, R10, PROTO), stxw(R10, CT_KEY + 12, R1));
        if (translates) a.add(ldxw(R1, R10, CT_SET), ldxw(R2, R10, TRANSLATED), or64(R1, R2), stxw(R10, CT_SET, R1));
        if (!lookUp) {
            a.add(stdw(R10, CT_PTR, 0));
            return;
        }
        a.add(loadMap(R1, WeirMaps.CONNTRACK), mov64(R2, R10), add64(R2, CT_KEY),
              call(Helper.MAP_LOOKUP_ELEM),
              stdw(R10, CT_PTR, 0),
              jeq(R0, 0, "evaluate"),
              stxdw(R10, CT_PTR, R0),
              // A TCP SYN opens a new connection even on a 5-tuple an old one used: this hook judges it again
              // (its own flag cleared, set again if policy still allows).
              ldxw(R1, R10, TCP_FLAGS), and64(R1, ServiceTranslation.TCP_SYN | ServiceTranslation.TCP_ACK), jne(R1, ServiceTranslation.TCP_SYN, "ct_check"),
              ldxw(R1, R10, CT_SET), xor64(R1, -1), atomicAnd32(R0, 0, R1),
              ja("evaluate"));
        a.label("ct_check").add(
              ldxw(R1, R0, 0), ldxw(R2, R10, CT_MASK), and64(R1, R2),
              jne(R1, 0, "allow_established"));
    }

    /** Own identity row into OWN_ROW; the peer's rows as the rules need them. */
    private void lookUpRows() {
        boolean egress = plan.direction() == Direction.EGRESS;
        int peer = egress ? DADDR : SADDR;
        a.add(ldxw(R1, R10, OWN_IDENTITY));
        rowOf("own");
        a.add(mov64(OWN_ROW, R0));
        // Traffic to and from the node is always allowed (the API's rule), whatever the policies say.
        a.add(loadMap(R1, WeirMaps.IPCACHE), mov64(R2, R10), add64(R2, peer),
              call(Helper.MAP_LOOKUP_ELEM),
              mov64(R1, Identities.WORLD),
              jeq(R0, 0, "peer_identity"),
              ldxw(R1, R0, 0),
              jeq(R1, Identities.HOST, "allow_host"));
        a.label("peer_identity");
        if (plan.needsPeerRow()) {
            rowOf("peer");
            a.add(mov64(PEER_ROW, R0));
        }
        if (plan.needsBlockRow()) {
            a.add(stw(R10, LPM_KEY, 32), ldxw(R1, R10, peer), stxw(R10, LPM_KEY + 4, R1),
                  loadMap(R1, WeirMaps.PREFIXES), mov64(R2, R10), add64(R2, LPM_KEY),
                  call(Helper.MAP_LOOKUP_ELEM),
                  mov64(R1, Identities.WORLD),
                  jeq(R0, 0, "prefix_identity"),
                  ldxw(R1, R0, 0));
            a.label("prefix_identity");
            rowOf("prefix");
            a.add(stxdw(R10, BLOCK_ROW, R0));
        }
    }

    /** R0 = &rows[R1], never null past this point. */
    private void rowOf(String what) {
        a.add(stxw(R10, ROW_KEY, R1),
              loadMap(R1, WeirMaps.ROWS), mov64(R2, R10), add64(R2, ROW_KEY),
              call(Helper.MAP_LOOKUP_ELEM),
              jeq(R0, 0, "drop_internal"));
    }

    /** The {@code position}th policy (or slice of one) of this part; policy numbers count from 1 over the program. */
    private void policy(int position, Numbered judged, String next) {
        PolicyPlan policy = judged.policy();
        int number = judged.number();
        a.label(policyLabel(position));
        testBit(OWN_ROW, policy.subjectBit(), false, next);
        a.add(mov64(LAST_POLICY, number));
        for (int i = 0; i < policy.rules().size(); i++) {
            String ruleNext = i + 1 == policy.rules().size() ? next : ruleLabel(position, i + 1);
            rule(number, ruleLabel(position, i), policy.rules().get(i), ruleNext);
        }
        if (policy.rules().isEmpty()) {
            a.add(ja(next));
        }
    }

    private void rule(int policy, String label, RulePlan rule, String noMatch) {
        a.label(label);
        if (!rule.ports().isEmpty()) {
            for (int k = 0; k < rule.ports().size(); k++) {
                port(rule.ports().get(k), label + "_peers", label + "_port" + (k + 1));
                a.label(label + "_port" + (k + 1));
            }
            a.add(ja(noMatch));
        }
        a.label(label + "_peers");
        if (!rule.peers().isEmpty()) {
            for (PeerCheck peer : rule.peers()) {
                switch (peer) {
                    case PeerCheck.PodBit pod -> testBit(PEER_ROW, pod.bit(), true, label + "_allow");
                    case PeerCheck.BlockBit block -> {
                        a.add(ldxdw(R2, R10, BLOCK_ROW));
                        testBit(R2, block.bit(), true, label + "_allow");
                    }
                }
            }
            a.add(ja(noMatch));
        }
        a.label(label + "_allow").add(
                mov64(R1, policy), stxw(CTX, Skb.CB_POLICY, R1),
                mov64(R1, rule.index() + 1), stxw(CTX, Skb.CB_RULE, R1),
                new Instruction.Goto(Target.label("allow_rule"), true)); // gotol: the allow tail may be far
    }

    /** Jumps to {@code match} when the packet's protocol and destination port fit; falls through to {@code next}'s label otherwise. */
    private void port(PortCheck check, String match, String next) {
        a.add(ldxw(R1, R10, PROTO));
        switch (check) {
            case PortCheck.AnyPort any -> a.add(jeq(R1, any.protocol(), match));
            case PortCheck.Range range -> {
                a.add(jne(R1, range.protocol(), next), ldxw(R1, R10, DPORT));
                if (range.first() == range.last()) {
                    a.add(jeq(R1, range.first(), match));
                } else {
                    a.add(jlt(R1, range.first(), next), jle(R1, range.last(), match));
                }
            }
            case PortCheck.Named named -> a.add(
                    jne(R1, named.protocol(), next),
                    // Whole 8-byte words: {daddr, name id, protocol, 0} then {port, 0}.
                    ldxw(R1, R10, DADDR), mov64(R2, named.protocol() << 16 | named.nameId()), lsh64(R2, 32), or64(R1, R2),
                    stxdw(R10, NAMED_KEY, R1),
                    ldxw(R1, R10, DPORT), stxdw(R10, NAMED_KEY + 8, R1),
                    loadMap(R1, WeirMaps.NAMED_PORTS), mov64(R2, R10), add64(R2, NAMED_KEY),
                    call(Helper.MAP_LOOKUP_ELEM),
                    jne(R0, 0, match));
        }
    }

    /** Tests bit {@code bit} of the row at {@code row}: jumps to {@code target} when it is set ({@code whenSet}) or clear. */
    private void testBit(Register row, int bit, boolean whenSet, String target) {
        a.add(ldxb(R1, row, bit / 8), and64(R1, 1 << (bit % 8)),
              whenSet ? jne(R1, 0, target) : jeq(R1, 0, target));
    }

    /** Records the connection for this hook, then passes the packet. */
    private void track() {
        a.label("track").add(
                ldxdw(R1, R10, CT_PTR),
                jeq(R1, 0, "track_insert"),
                ldxw(R2, R10, CT_SET), atomicOr32(R1, 0, R2),
                ja("pass"));
        a.label("track_insert").add(
                ldxw(R1, R10, CT_SET), stxdw(R10, CT_VALUE, R1),
                loadMap(R1, WeirMaps.CONNTRACK), mov64(R2, R10), add64(R2, CT_KEY), mov64(R3, R10), add64(R3, CT_VALUE),
                mov64(R4, BPF_NOEXIST),
                call(Helper.MAP_UPDATE_ELEM),
                jeq(R0, 0, "pass"),
                // Another CPU created the entry since our lookup: add our flag to it.
                loadMap(R1, WeirMaps.CONNTRACK), mov64(R2, R10), add64(R2, CT_KEY),
                call(Helper.MAP_LOOKUP_ELEM),
                jeq(R0, 0, "pass"),
                ldxw(R1, R10, CT_SET), atomicOr32(R0, 0, R1));
        a.label("pass");
        if (plan.direction() == Direction.INGRESS) services.reverse();
        a.add(mov64(R7, 0), ja("count"));
    }

    /**
     * Every verdict ends here: the endpoint slot's passed (offset 0) or dropped (offset 8) counter, chosen by
     * R7, gets one more, and R7 / 4 is the verdict (TC_ACT_OK 0, TC_ACT_SHOT 2).
     */
    private void count() {
        a.label("count_dropped").add(mov64(R7, 8));  // falls through to count
        a.label("count").add(
                ldxw(R1, CTX, Skb.IFINDEX), and64(R1, WeirMaps.ENDPOINT_SLOTS - 1), stxw(R10, ENDPOINT_KEY, R1),
                loadMap(R1, WeirMaps.VERDICTS), mov64(R2, R10), add64(R2, ENDPOINT_KEY),
                call(Helper.MAP_LOOKUP_ELEM),
                jeq(R0, 0, "counted"),
                add64(R0, R7), mov64(R1, 1), atomicAdd64(R0, 0, R1));
        a.label("counted").add(mov64(R0, R7), rsh64(R0, 2), exit());
    }

    private void verdict(String label, Reason reason) {
        a.label(label).add(mov64(R1, reason.code), stxw(CTX, Skb.CB_REASON, R1));
        if (reason == Reason.DEFAULT_DENY) {
            a.add(stxw(CTX, Skb.CB_POLICY, LAST_POLICY));
        }
        // gotol: the counting epilogue sits after the policies, further than a 16-bit offset may reach.
        a.add(new Instruction.Goto(Target.label(reason.allows ? "pass" : "count_dropped"), true));
    }

    private static String policyLabel(int position) {
        return "policy" + (position + 1);
    }

    private static String ruleLabel(int policyPosition, int rulePosition) {
        return "policy" + (policyPosition + 1) + "_rule" + (rulePosition + 1);
    }
}
