package dev.plumb.collector.api;

import dev.plumb.analytics.TimeRange;
import dev.plumb.collector.DurationText;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the API's query parameters with the contract's rules, throwing {@link ApiException}
 * that names the parameter and the form it takes. Time parameters accept RFC 3339, epoch
 * milliseconds, {@code now} and {@code now-1h} style; a window defaults to the last hour.
 */
public final class QueryParams {
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    private static final Pattern RELATIVE = Pattern.compile("now(?:\\s*([-+])\\s*(\\d+(?:ms|s|m|h|d|w)))?");
    private static final String TIME_HINT = "use RFC 3339 (2024-05-01T12:00:00Z), epoch milliseconds, now, or now-1h style";

    private final RoutingContext ctx;
    private final Clock clock;

    private QueryParams(RoutingContext ctx, Clock clock) {
        this.ctx = ctx;
        this.clock = clock;
    }

    public static QueryParams of(RoutingContext ctx) {
        return new QueryParams(ctx, Clock.systemUTC());
    }

    static QueryParams of(RoutingContext ctx, Clock clock) {
        return new QueryParams(ctx, clock);
    }

    /** The parameter's value, or null when absent or blank. */
    public String text(String name) {
        String v = ctx.request().getParam(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public String required(String name, String hint) {
        String v = text(name);
        if (v == null) {
            throw ApiException.badRequest(name, "parameter '" + name + "' is required", hint);
        }
        return v;
    }

    /** {@code from}/{@code to}, defaulting to the last hour before now. */
    public TimeRange range() {
        return range("from", "to", DEFAULT_WINDOW);
    }

    /** A window from two parameters; without {@code fromName} it is {@code defaultWindow} before its end. */
    public TimeRange range(String fromName, String toName, Duration defaultWindow) {
        Instant now = clock.instant();
        String toText = text(toName);
        String fromText = text(fromName);
        Instant to = toText == null ? now : instant(toName, toText, now);
        Instant from = fromText == null ? to.minus(defaultWindow) : instant(fromName, fromText, now);
        if (to.isBefore(from)) {
            throw ApiException.badRequest(toName, "'" + toName + "' (" + to + ") is before '" + fromName + "' (" + from + ")",
                    "give a window whose end is after its start, for example from=now-1h&to=now");
        }
        return new TimeRange(from, to);
    }

    /** A duration parameter such as {@code step=1m}, within {@code [min, max]}. */
    public Duration duration(String name, Duration defaultValue, Duration min, Duration max) {
        String v = text(name);
        if (v == null) {
            return defaultValue;
        }
        Duration d;
        try {
            d = DurationText.parse(v);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name, "'" + name + "' " + e.getMessage(), "for example " + name + "=1m");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw ApiException.badRequest(name, "'" + name + "' must be between " + DurationText.format(min) + " and "
                    + DurationText.format(max) + ", got " + v, "for example " + name + "=1m");
        }
        return d;
    }

    /**
     * {@code step} (default 1m, 1s to 31d) for a series over {@code range}, refused when it would
     * cut the window into more than {@code maxPoints} points.
     */
    public Duration step(TimeRange range, int maxPoints) {
        Duration step = duration("step", Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofDays(31));
        long points = Duration.between(range.from(), range.to()).toMillis() / Math.max(1, step.toMillis());
        if (points > maxPoints) {
            throw ApiException.badRequest("step", "a step of " + DurationText.format(step) + " makes " + points
                    + " points over this window, more than " + maxPoints, "use a larger step or a shorter window");
        }
        return step;
    }

    public int integer(String name, int defaultValue, int min, int max) {
        String v = text(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below, which says what is accepted
        }
        throw ApiException.badRequest(name, "'" + name + "' must be a whole number from " + min + " to " + max
                + ", got '" + v + "'", "for example " + name + "=" + defaultValue);
    }

    public double number(String name, double defaultValue, double min) {
        String v = text(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            double n = Double.parseDouble(v);
            if (n >= min && Double.isFinite(n)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below, which says what is accepted
        }
        throw ApiException.badRequest(name, "'" + name + "' must be a number of at least " + min + ", got '" + v + "'",
                "for example " + name + "=250");
    }

    /** A time in any of the accepted forms; {@code now} is the clock's present. */
    public static Instant instant(String name, String text, Instant now) {
        Matcher m = RELATIVE.matcher(text);
        if (m.matches()) {
            if (m.group(1) == null) {
                return now;
            }
            Duration d = DurationText.parse(m.group(2));
            return m.group(1).equals("-") ? now.minus(d) : now.plus(d);
        }
        if (text.chars().allMatch(Character::isDigit) && text.length() <= 15) {
            return Instant.ofEpochMilli(Long.parseLong(text));
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name, "'" + name + "' is not a time: '" + text + "'", TIME_HINT);
        }
    }
}
