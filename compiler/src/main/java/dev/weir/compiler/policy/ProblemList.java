package dev.weir.compiler.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Collects one policy's problems, worded the way the API server's field errors are. */
final class ProblemList {

    private final String policy;
    private final List<PolicyProblem> problems = new ArrayList<>();

    ProblemList(String policy) {
        this.policy = policy;
    }

    void invalid(String field, Object value, String message) {
        problems.add(new PolicyProblem(policy, field, "Invalid value: " + quote(value) + ": " + message));
    }

    void required(String field, String message) {
        problems.add(new PolicyProblem(policy, field, "Required value" + (message.isEmpty() ? "" : ": " + message)));
    }

    void forbidden(String field, String message) {
        problems.add(new PolicyProblem(policy, field, "Forbidden: " + message));
    }

    void notSupported(String field, Object value, List<String> supported) {
        String choices = supported.stream().map(ProblemList::quote).collect(Collectors.joining(", "));
        problems.add(new PolicyProblem(policy, field, "Unsupported value: " + quote(value) + ": supported values: " + choices));
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

    private static String quote(Object value) {
        return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
    }
}
