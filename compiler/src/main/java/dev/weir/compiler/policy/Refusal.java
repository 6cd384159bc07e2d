package dev.weir.compiler.policy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a policy's problems refuse, read from their {@link ProblemScope}s. Everything refused fails closed: a
 * refused rule allows nothing, and a policy isolates its pods whenever it can still tell which they are.
 *
 * @param selectionUnknown spec.podSelector is unreadable: the policy cannot isolate anyone and is left out
 * @param typesUnknown spec.policyTypes is unreadable: the policy isolates both directions
 * @param everyRule no rule can be trusted (metadata, policyTypes, or a field outside the rules)
 * @param rules the single rules refused
 */
record Refusal(boolean selectionUnknown, boolean typesUnknown, boolean everyRule, Set<ProblemScope.OneRule> rules) {

    static final Refusal NONE = new Refusal(false, false, false, Set.of());

    static Refusal of(List<PolicyProblem> problems) {
        Set<ProblemScope> scopes = problems.stream().map(PolicyProblem::scope).collect(Collectors.toSet());
        boolean typesUnknown = scopes.contains(ProblemScope.POLICY_TYPES);
        Set<ProblemScope.OneRule> rules = scopes.stream()
                .filter(ProblemScope.OneRule.class::isInstance).map(ProblemScope.OneRule.class::cast)
                .collect(Collectors.toUnmodifiableSet());
        return new Refusal(scopes.contains(ProblemScope.SELECTION), typesUnknown,
                typesUnknown || scopes.contains(ProblemScope.EVERY_RULE), rules);
    }

    boolean refuses(Direction direction, int index) {
        return everyRule || rules.contains(new ProblemScope.OneRule(direction, index));
    }

    /** The warning that says what the refusal means for the policy's pods. */
    String consequence(String policy) {
        if (selectionUnknown) {
            return "NetworkPolicy " + policy + " is left out: whom it selects is unclear";
        }
        if (typesUnknown) {
            return "NetworkPolicy " + policy + ": its policyTypes are refused: it isolates the pods it selects in both"
                    + " directions and allows them nothing";
        }
        if (everyRule) {
            return "NetworkPolicy " + policy + ": every rule is refused: it isolates the pods it selects and allows"
                    + " them nothing";
        }
        return "NetworkPolicy " + policy + ": its refused rules allow nothing; it still isolates the pods it selects";
    }
}
