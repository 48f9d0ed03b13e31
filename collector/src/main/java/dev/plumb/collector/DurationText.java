package dev.plumb.collector;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in flags, variables and query parameters: {@code 500ms},
 * {@code 15s}, {@code 5m}, {@code 1h}, {@code 7d}, {@code 2w}.
 */
public final class DurationText {
    private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

    private DurationText() {
    }

    /** The duration, or an IllegalArgumentException that says which forms are understood. */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write it as a number and a unit,"
                    + " one of ms, s, m, h, d, w (for example 15s, 5m, 1h)");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a duration");
        }
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    /** The shortest exact text for a duration, the inverse of {@link #parse}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        long[] sizes = {7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1_000};
        String[] units = {"w", "d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms != 0 && ms % sizes[i] == 0) {
                return (ms / sizes[i]) + units[i];
            }
        }
        return ms + "ms";
    }
}
