package dev.plumb.agent.instrument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code PLUMB_MONITOR_INCLUDE} / {@code PLUMB_MONITOR_EXCLUDE} patterns:
 * comma-separated {@code class#method} globs where {@code *} matches any run of characters,
 * for example {@code com.acme.*Service#*} or {@code com.acme.Billing#charge}. A pattern without
 * {@code #} matches every method of the classes it names.
 */
final class MethodPatterns {

    private final List<Pattern> classes = new ArrayList<>();
    private final List<Pattern> methods = new ArrayList<>();

    private MethodPatterns() {
    }

    /**
     * Parses the setting.
     *
     * @throws IllegalArgumentException naming the setting and the bad entry
     */
    static MethodPatterns parse(String setting, String value) {
        MethodPatterns patterns = new MethodPatterns();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int hash = trimmed.indexOf('#');
            String type = hash < 0 ? trimmed : trimmed.substring(0, hash);
            String method = hash < 0 ? "*" : trimmed.substring(hash + 1);
            if (type.isEmpty() || method.isEmpty() || method.contains("#")) {
                throw new IllegalArgumentException(setting + " entry '" + trimmed
                        + "' must look like com.acme.*Service#* or com.acme.Billing#charge");
            }
            patterns.classes.add(glob(type));
            patterns.methods.add(glob(method));
        }
        return patterns;
    }

    boolean isEmpty() {
        return classes.isEmpty();
    }

    /** True when some pattern names this class, whatever the method. */
    boolean matchesClass(String className) {
        for (Pattern pattern : classes) {
            if (pattern.matcher(className).matches()) {
                return true;
            }
        }
        return false;
    }

    /** True when some pattern names this method of this class. */
    boolean matches(String className, String methodName) {
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).matcher(className).matches() && methods.get(i).matcher(methodName).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern glob(String glob) {
        return Pattern.compile(Arrays.stream(glob.split("\\*", -1))
                .map(Pattern::quote)
                .collect(Collectors.joining(".*")));
    }
}
