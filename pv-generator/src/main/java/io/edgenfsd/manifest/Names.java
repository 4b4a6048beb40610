package io.edgenfsd.manifest;

import java.util.regex.Pattern;

/** Kubernetes object-name and label syntax (RFC 1123 subdomains and labels, label keys and values). */
public final class Names {
    private Names() {
    }

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    /** Null when valid, else the reason. Object names of PVs, PVCs and StorageClasses. */
    public static String checkSubdomain(String name) {
        if (name.isEmpty()) {
            return "must not be empty";
        }
        if (name.length() > 253) {
            return "must be no more than 253 characters";
        }
        if (!DNS1123_SUBDOMAIN.matcher(name).matches()) {
            return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.',"
                    + " and must start and end with an alphanumeric character (e.g. 'example.com')";
        }
        return null;
    }

    /** Null when valid, else the reason. Namespaces. */
    public static String checkLabel(String name) {
        if (name.isEmpty()) {
            return "must not be empty";
        }
        if (name.length() > 63) {
            return "must be no more than 63 characters";
        }
        if (!DNS1123_LABEL.matcher(name).matches()) {
            return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-',"
                    + " and must start and end with an alphanumeric character (e.g. 'my-name')";
        }
        return null;
    }

    /** Null when valid, else the reason. Label and annotation keys: [prefix/]name. */
    public static String checkLabelKey(String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty()) {
                return "prefix part must not be empty";
            }
            String why = checkSubdomain(prefix);
            if (why != null) {
                return "prefix part " + why;
            }
        }
        if (name.isEmpty()) {
            return "name part must not be empty";
        }
        if (name.length() > 63) {
            return "name part must be no more than 63 characters";
        }
        if (!QUALIFIED_NAME_PART.matcher(name).matches()) {
            return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end"
                    + " with an alphanumeric character";
        }
        return null;
    }

    /** Null when valid, else the reason. */
    public static String checkLabelValue(String value) {
        if (value.length() > 63) {
            return "must be no more than 63 characters";
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.',"
                    + " and must start and end with an alphanumeric character";
        }
        return null;
    }

    /** The --label errors for a set of labels, each naming the flag; empty when all are valid. */
    public static java.util.List<String> labelFlagErrors(java.util.Map<String, String> labels) {
        java.util.List<String> errors = new java.util.ArrayList<>();
        for (java.util.Map.Entry<String, String> e : labels.entrySet()) {
            String why = checkLabelKey(e.getKey());
            if (why != null) {
                errors.add("--label: key '" + e.getKey() + "': " + why);
            }
            why = checkLabelValue(e.getValue());
            if (why != null) {
                errors.add("--label: value '" + e.getValue() + "' of " + e.getKey() + ": " + why);
            }
        }
        return errors;
    }
}
