package dev.weir.compiler.cluster;

import java.util.regex.Pattern;

/**
 * The name formats the API server checks Services and EndpointSlices against (k8s.io/apimachinery's
 * util/validation), each returning what is wrong in its words, or null when the name is fine.
 */
final class ApiNames {

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final int LABEL_LENGTH = 63, PORT_NAME_LENGTH = 15;

    private ApiNames() {}

    /** An RFC 1123 label: Service and EndpointSlice port names. */
    static String dns1123LabelProblem(String name) {
        if (name.length() > LABEL_LENGTH) return "must be no more than " + LABEL_LENGTH + " characters";
        if (!DNS1123_LABEL.matcher(name).matches()) {
            return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-',"
                    + " and must start and end with an alphanumeric character";
        }
        return null;
    }

    /** An RFC 1035 label: Service names, which become DNS names and so may not start with a digit. */
    static String dns1035LabelProblem(String name) {
        if (name.length() > LABEL_LENGTH) return "must be no more than " + LABEL_LENGTH + " characters";
        if (!DNS1035_LABEL.matcher(name).matches()) {
            return "a DNS-1035 label must consist of lower case alphanumeric characters or '-',"
                    + " start with an alphabetic character, and end with an alphanumeric character";
        }
        return null;
    }

    /** An IANA_SVC_NAME (RFC 6335): container port names, which a named targetPort refers to. */
    static String portNameProblem(String name) {
        if (name.length() > PORT_NAME_LENGTH) return "must be no more than " + PORT_NAME_LENGTH + " characters";
        if (!name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
        }
        if (name.contains("--")) return "must not contain consecutive hyphens";
        if (name.chars().noneMatch(c -> c >= 'a' && c <= 'z')) return "must contain at least one letter (a-z)";
        if (name.startsWith("-") || name.endsWith("-")) return "must not begin or end with a hyphen";
        return null;
    }
}
