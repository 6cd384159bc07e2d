package dev.weir.compiler.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Collects one policy's problems, worded the way the API server's field errors are, each tagged with the
 * {@link ProblemScope} it was found in.
 */
final class ProblemList {

    private final String policy;
    private final ProblemScope scope;
    private final List<PolicyProblem> problems;

    ProblemList(String policy) {
        this(policy, ProblemScope.EVERY_RULE, new ArrayList<>());
    }

    private ProblemList(String policy, ProblemScope scope, List<PolicyProblem> problems) {
        this.policy = policy;
        this.scope = scope;
        this.problems = problems;
    }

    /** The same list, tagging what is added through it with {@code scope}. */
    ProblemList within(ProblemScope scope) {
        return new ProblemList(policy, scope, problems);
    }

    void invalid(String field, Object value, String message) {
        add(field, "Invalid value: " + quote(value) + ": " + message);
    }

    /**
     * A null where the API wants {@code expected}. The API server would read it as an empty value (an empty
     * rule, which allows everything); Weir refuses to guess.
     */
    void nullValue(String field, String expected) {
        invalid(field, null, "must be " + expected + ", not null");
    }

    void required(String field, String message) {
        add(field, "Required value" + (message.isEmpty() ? "" : ": " + message));
    }

    void forbidden(String field, String message) {
        add(field, "Forbidden: " + message);
    }

    void notSupported(String field, Object value, List<String> supported) {
        String choices = supported.stream().map(ProblemList::quote).collect(Collectors.joining(", "));
        add(field, "Unsupported value: " + quote(value) + ": supported values: " + choices);
    }

    /** Fabric8 keeps fields it does not know here; Weir cannot enforce what it does not know, so it refuses. */
    void unknownFields(String path, Map<String, Object> additionalProperties) {
        if (additionalProperties == null) {
            return;
        }
        for (String name : additionalProperties.keySet()) {
            String field = path.isEmpty() ? name : path + "." + name;
            forbidden(field, "field not known to networking.k8s.io/v1 NetworkPolicy; Weir refuses policies it "
                    + "cannot enforce exactly");
        }
    }

    List<PolicyProblem> toList() {
        return List.copyOf(problems);
    }

    private void add(String field, String detail) {
        problems.add(new PolicyProblem(policy, field, detail, scope));
    }

    private static String quote(Object value) {
        return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
    }
}
