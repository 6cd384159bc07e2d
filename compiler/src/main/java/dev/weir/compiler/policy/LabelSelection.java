package dev.weir.compiler.policy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A label selector in canonical form: {@code matchLabels} become {@code In} requirements, requirements are
 * sorted and deduplicated, values sorted. Two selectors that select the same way by construction are equal,
 * which is what lets the compiler give each distinct selector one bit.
 */
public record LabelSelection(List<Requirement> requirements) {

    public static final LabelSelection ALL = new LabelSelection(List.of());

    public enum Operator { IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    public record Requirement(String key, Operator operator, List<String> values) {
        public Requirement {
            values = List.copyOf(new TreeSet<>(values));
        }

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case IN -> value != null && values.contains(value);
                case NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
            };
        }

        @Override
        public String toString() {
            return switch (operator) {
                case IN -> values.size() == 1 ? key + "=" + values.getFirst() : key + " in (" + String.join(",", values) + ")";
                case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
            };
        }
    }

    private static final Comparator<Requirement> ORDER = Comparator.comparing(Requirement::key)
            .thenComparing(Requirement::operator)
            .thenComparing(r -> String.join("\u0000", r.values()));

    public LabelSelection {
        var sorted = new TreeSet<>(ORDER);
        sorted.addAll(requirements);
        requirements = List.copyOf(sorted);
    }

    /** From a validated Fabric8 selector; null (absent) selects everything, as an empty one does. */
    public static LabelSelection of(LabelSelector selector) {
        if (selector == null) {
            return ALL;
        }
        var requirements = new ArrayList<Requirement>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((key, value) -> requirements.add(new Requirement(key, Operator.IN, List.of(value))));
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                Operator operator = switch (r.getOperator()) {
                    case "In" -> Operator.IN;
                    case "NotIn" -> Operator.NOT_IN;
                    case "Exists" -> Operator.EXISTS;
                    case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
                    default -> throw new IllegalArgumentException("invalid operator " + r.getOperator() + " (validate first)");
                };
                requirements.add(new Requirement(r.getKey(), operator, r.getValues() == null ? List.of() : r.getValues()));
            }
        }
        return new LabelSelection(requirements);
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement requirement : requirements) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean selectsAll() {
        return requirements.isEmpty();
    }

    /** kubectl's selector syntax; {@code {}} for the empty selector. */
    @Override
    public String toString() {
        return requirements.isEmpty() ? "{}" : String.join(",", requirements.stream().map(Requirement::toString).toList());
    }
}
