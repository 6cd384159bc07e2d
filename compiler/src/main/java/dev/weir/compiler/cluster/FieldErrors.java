package dev.weir.compiler.cluster;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Problems worded as the API server words them (k8s.io/apimachinery's field.Error), so a refusal reads like
 * what {@code kubectl apply} would have said: {@code Invalid value: 70000: must be between 1 and 65535}.
 */
final class FieldErrors {

    static final String REQUIRED = "Required value";

    private FieldErrors() {}

    static String invalid(Object value, String why) {
        return "Invalid value: " + quoted(value) + ": " + why;
    }

    static String required(String why) {
        return REQUIRED + ": " + why;
    }

    static String duplicate(Object value) {
        return "Duplicate value: " + quoted(value);
    }

    static String forbidden(String why) {
        return "Forbidden: " + why;
    }

    static String unsupported(String value, String... supported) {
        return "Unsupported value: " + quoted(value) + ": supported values: "
                + Arrays.stream(supported).map(FieldErrors::quoted).collect(Collectors.joining(", "));
    }

    static String tooMany(int count, int max) {
        return "Too many: " + count + ": must have at most " + max + " items";
    }

    /** Strings in quotes, numbers as they are: {@code "http"}, {@code 70000}. */
    static String quoted(Object value) {
        return value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
    }
}
