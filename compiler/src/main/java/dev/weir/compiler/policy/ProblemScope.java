package dev.weir.compiler.policy;

/**
 * What part of a policy a problem makes unreadable, which decides how the policy fails closed (see
 * {@link PolicyReader}): the validator says it where it finds the problem, so nobody has to read it back out
 * of the field path.
 */
public sealed interface ProblemScope {

    /** spec.podSelector: whom the policy selects is unknown, so it can isolate nobody and is left out. */
    record Selection() implements ProblemScope {}

    /** spec.policyTypes: which directions it isolates is unknown, so it isolates both and allows nothing. */
    record PolicyTypes() implements ProblemScope {}

    /** metadata, or a field outside any rule: no rule of the policy can be trusted, so all are refused. */
    record EveryRule() implements ProblemScope {}

    /** One rule, {@code spec.ingress[index]} or {@code spec.egress[index]}: that rule is refused. */
    record OneRule(Direction direction, int index) implements ProblemScope {}

    ProblemScope SELECTION = new Selection();
    ProblemScope POLICY_TYPES = new PolicyTypes();
    ProblemScope EVERY_RULE = new EveryRule();
}
