package dev.weir.compiler.codegen;

import dev.weir.compiler.codegen.ProgramPlan.PeerCheck;
import dev.weir.compiler.codegen.ProgramPlan.PolicyPlan;
import dev.weir.compiler.codegen.ProgramPlan.PortCheck;
import dev.weir.compiler.codegen.ProgramPlan.RulePlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a program's policies into parts of at most {@link PolicyProgramGenerator#PART_BUDGET} instructions of
 * checks, in order. A rule with more than {@link PolicyProgramGenerator#RULE_SLICE} ports or peers becomes
 * slices that each check some of its ports against some of its peers (together the same rule: a port and
 * a peer must both match, and every pair of slices is there); a policy too large for one part continues in
 * the next, which tests its subject bit again. Sizes are estimated from what the generator writes per check,
 * on the high side.
 */
final class PartSplitter {

    /** A policy, or a slice of its rules, and its number in the program (1-based, as skb->cb[1] reports it). */
    record Numbered(int number, PolicyPlan policy) {}

    private static final int POLICY_HEADER = 4, RULE_OVERHEAD = 8;

    private PartSplitter() {}

    static List<List<Numbered>> split(List<PolicyPlan> policies) {
        var parts = new ArrayList<List<Numbered>>();
        var part = new ArrayList<Numbered>();
        int size = 0;
        for (int i = 0; i < policies.size(); i++) {
            PolicyPlan policy = policies.get(i);
            var rules = new ArrayList<RulePlan>();
            int policySize = POLICY_HEADER;
            for (RulePlan rule : sliced(policy.rules())) {
                int ruleSize = size(rule);
                if (!part.isEmpty() || !rules.isEmpty()) {
                    if (size + policySize + ruleSize > PolicyProgramGenerator.PART_BUDGET) {
                        if (!rules.isEmpty()) part.add(new Numbered(i + 1, withRules(policy, rules)));
                        parts.add(List.copyOf(part));
                        part.clear();
                        rules = new ArrayList<>();
                        size = 0;
                        policySize = POLICY_HEADER;
                    }
                }
                rules.add(rule);
                policySize += ruleSize;
            }
            part.add(new Numbered(i + 1, withRules(policy, rules)));
            size += policySize;
        }
        parts.add(List.copyOf(part));
        return parts;
    }

    /** Rules with at most RULE_SLICE ports and peers each, in the original order. */
    static List<RulePlan> sliced(List<RulePlan> rules) {
        var out = new ArrayList<RulePlan>();
        int slice = PolicyProgramGenerator.RULE_SLICE;
        for (RulePlan rule : rules) {
            if (rule.ports().size() <= slice && rule.peers().size() <= slice) {
                out.add(rule);
                continue;
            }
            for (List<PortCheck> ports : chunks(rule.ports(), slice)) {
                for (List<PeerCheck> peers : chunks(rule.peers(), slice)) {
                    out.add(new RulePlan(rule.index(), ports, peers));
                }
            }
        }
        return out;
    }

    /** The list in pieces of at most {@code size}; an empty list is one empty piece (it means "any"). */
    private static <T> List<List<T>> chunks(List<T> list, int size) {
        if (list.isEmpty()) return List.of(list);
        var out = new ArrayList<List<T>>();
        for (int from = 0; from < list.size(); from += size) out.add(list.subList(from, Math.min(list.size(), from + size)));
        return out;
    }

    private static PolicyPlan withRules(PolicyPlan policy, List<RulePlan> rules) {
        return new PolicyPlan(policy.policy(), policy.subjectBit(), rules);
    }

    /** Instructions the generator writes for a rule, at most. */
    private static int size(RulePlan rule) {
        int size = RULE_OVERHEAD;
        for (PortCheck port : rule.ports()) {
            size += switch (port) {
                case PortCheck.AnyPort any -> 2;
                case PortCheck.Range range -> 5;
                case PortCheck.Named named -> 14;
            };
        }
        for (PeerCheck peer : rule.peers()) {
            size += peer instanceof PeerCheck.BlockBit ? 4 : 3;
        }
        return size;
    }
}
