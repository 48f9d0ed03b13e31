package dev.plumb.analytics.cost;

import dev.plumb.analytics.TimeRange;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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

    /** Monday 2000-01-03 00:00 UTC, where DuckDB's {@code time_bucket} counts hours, days and weeks from. */
    private static final long ORIGIN = 946_857_600L;

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

    /**
     * {@code range} widened to whole buckets: its start down to the start of the bucket it falls
     * in, its end up to the end of its last bucket. A series then never shows part of a bucket
     * as if it were all of it: {@code from=10:30} with {@code 1h} steps gives the whole 10:00
     * hour, and with {@code 1d} steps the whole day. Buckets are DuckDB's {@code time_bucket}
     * ones: counted from Monday 2000-01-03 UTC, months from 2000-01-01.
     */
    public TimeRange widen(TimeRange range) {
        Instant from = floor(range.from());
        Instant to = floor(range.to());
        return new TimeRange(from, to.equals(range.to()) ? to : next(to));
    }

    private Instant floor(Instant t) {
        if (unit.equals("month")) {
            LocalDate d = LocalDate.ofInstant(t, ZoneOffset.UTC);
            long months = Math.floorDiv((d.getYear() - 2000L) * 12 + d.getMonthValue() - 1, count) * count;
            return LocalDate.of(2000, 1, 1).plusMonths(months).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        long width = seconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond() - ORIGIN, width) * width + ORIGIN);
    }

    private Instant next(Instant bucketStart) {
        return unit.equals("month")
                ? bucketStart.atZone(ZoneOffset.UTC).plusMonths(count).toInstant()
                : bucketStart.plusSeconds(seconds());
    }

    private long seconds() {
        return count * switch (unit) {
            case "hour" -> 3_600L;
            case "day" -> 86_400L;
            default -> 604_800L;
        };
    }

    /** The DuckDB interval literal of one bucket (weeks as 7 days, so that they start on Monday). */
    String interval() {
        return unit.equals("week") ? (7 * count) + " days" : count + " " + unit + (count > 1 ? "s" : "");
    }
}
