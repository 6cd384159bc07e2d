package dev.weir.compiler.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The API server's syntax rules for names, label keys and values; each returns its complaints. */
public final class ApiNames {

    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");

    private ApiNames() {}

    /** Label keys: an optional DNS subdomain prefix and a slash, then a name of at most 63 characters. */
    static List<String> qualifiedNameProblems(String value) {
        var problems = new ArrayList<String>();
        String name = value;
        int slash = value.indexOf('/');
        if (slash >= 0) {
            String prefix = value.substring(0, slash);
            name = value.substring(slash + 1);
            if (prefix.isEmpty()) {
                problems.add("prefix part must be non-empty");
            } else {
                problems.addAll(dns1123SubdomainProblems(prefix).stream().map(p -> "prefix part " + p).toList());
            }
        }
        if (name.isEmpty()) {
            problems.add("name part must be non-empty");
        } else {
            if (name.length() > 63) {
                problems.add("name part must be no more than 63 characters");
            }
            if (!QUALIFIED_NAME_PART.matcher(name).matches()) {
                problems.add("name part must consist of alphanumeric characters, '-', '_' or '.', "
                        + "and must start and end with an alphanumeric character");
            }
        }
        return problems;
    }

    static List<String> labelValueProblems(String value) {
        var problems = new ArrayList<String>();
        if (value.length() > 63) {
            problems.add("must be no more than 63 characters");
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            problems.add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
                    + "or '.', and must start and end with an alphanumeric character");
        }
        return problems;
    }

    static List<String> dns1123SubdomainProblems(String value) {
        var problems = new ArrayList<String>();
        if (value.length() > 253) {
            problems.add("must be no more than 253 characters");
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            problems.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
                    + "or '.', and must start and end with an alphanumeric character");
        }
        return problems;
    }

    public static List<String> dns1123LabelProblems(String value) {
        var problems = new ArrayList<String>();
        if (value.length() > 63) {
            problems.add("must be no more than 63 characters");
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            problems.add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                    + "and must start and end with an alphanumeric character");
        }
        return problems;
    }

    /** Port names (IANA_SVC_NAME): 1 to 15 of a-z, 0-9 and '-', with a letter, no '--', no '-' at the ends. */
    public static List<String> portNameProblems(String value) {
        var problems = new ArrayList<String>();
        if (value.length() > 15) {
            problems.add("must be no more than 15 characters");
        }
        if (!PORT_NAME_CHARS.matcher(value).matches()) {
            problems.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (value.contains("--")) {
            problems.add("must not contain consecutive hyphens");
        }
        if (value.chars().noneMatch(c -> c >= 'a' && c <= 'z')) {
            problems.add("must contain at least one letter (a-z)");
        }
        if (value.startsWith("-") || value.endsWith("-")) {
            problems.add("must not begin or end with a hyphen");
        }
        return problems;
    }
}
