package dev.weir.compiler.cluster;

import java.util.regex.Pattern;

/**
 * The name formats the API server checks Services and EndpointSlices against (k8s.io/apimachinery's
 * util/validation), each returning what is wrong in its words, or null when the name is fine; the ones
 * NetworkPolicies use too come from the policy package's {@link dev.weir.compiler.policy.ApiNames}.
 */
final class ApiNames {

    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final int LABEL_LENGTH = 63;

    private ApiNames() {}

    /** An RFC 1123 label: Service and EndpointSlice port names (the first of the policy checks' complaints). */
    static String dns1123LabelProblem(String name) {
        return first(dev.weir.compiler.policy.ApiNames.dns1123LabelProblems(name));
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
        return first(dev.weir.compiler.policy.ApiNames.portNameProblems(name));
    }

    private static String first(java.util.List<String> problems) {
        return problems.isEmpty() ? null : problems.getFirst();
    }
}
