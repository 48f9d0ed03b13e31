package dev.plumb.analytics.cost;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The width of a cost series' buckets: whole hours, days, weeks (starting Monday) or calendar
 * months, in UTC. Written {@code 1h}, {@code 6h}, {@code 1d}, {@code 1w}, {@code 1mo}.
 *
 * @param count how many units a bucket spans
 * @param unit  {@code hour}, {@code day}, {@code week} or {@code month}
 */
public record CostStep(int count, String unit) {
    private static final Pattern FORM = Pattern.compile("(\\d{1,4})(h|d|w|mo)");

    public static final CostStep HOUR = new CostStep(1, "hour");
    public static final CostStep DAY = new CostStep(1, "day");

    public CostStep {
        if (count < 1) {
            throw new IllegalArgumentException("step must span at least one " + unit);
        }
    }

    /** Parses a step; a bad one is an IllegalArgumentException saying what is accepted. */
    public static CostStep parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || Integer.parseInt(m.group(1)) == 0) {
            throw new IllegalArgumentException("step '" + text + "' is not a whole number of hours, days, weeks or"
                    + " months; write 1h, 6h, 1d, 1w or 1mo");
        }
        String unit = switch (m.group(2)) {
            case "h" -> "hour";
            case "d" -> "day";
            case "w" -> "week";
            default -> "month";
        };
        return new CostStep(Integer.parseInt(m.group(1)), unit);
    }

    /** The DuckDB interval literal of one bucket (weeks as 7 days, so that they start on Monday). */
    String interval() {
        return unit.equals("week") ? (7 * count) + " days" : count + " " + unit + (count > 1 ? "s" : "");
    }
}
