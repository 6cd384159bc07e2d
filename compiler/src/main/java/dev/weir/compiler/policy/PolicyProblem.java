package dev.weir.compiler.policy;

/**
 * One reason a NetworkPolicy is refused.
 *
 * @param policy the policy, as {@code namespace/name}
 * @param field the field path the way the API server writes it, e.g. {@code spec.ingress[0].from[1]}
 * @param detail the API server's error body, e.g. {@code Required value: must specify a peer}
 * @param scope the part of the policy the problem makes unreadable, which decides what is refused
 */
public record PolicyProblem(String policy, String field, String detail, ProblemScope scope) {

    @Override
    public String toString() {
        return "NetworkPolicy " + policy + ": " + field + ": " + detail;
    }
}
