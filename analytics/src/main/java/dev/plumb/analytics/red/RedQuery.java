package dev.plumb.analytics.red;

import dev.plumb.analytics.TimeRange;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * RED figures (requests, errors, latency) of services, from their <em>entry spans</em>.
 *
 * <p>A span counts as a request of its service when it is the service's entry point for that
 * piece of work, so that a request is never counted twice when a SERVER span wraps nested
 * {@code @Monitor} spans of the same service. An entry span is either
 * <ul>
 *   <li>of kind SERVER or CONSUMER, or</li>
 *   <li>a {@code @Monitor} span (attribute {@code code.function.name}) whose parent is absent
 *       or is a span of another service.</li>
 * </ul>
 * CLIENT, PRODUCER and plain INTERNAL spans never count. The rule is applied as spans are
 * written (column {@code spans.entry}, see {@code dev.plumb.analytics.ingest.ParentResolver}),
 * so these queries scan one table without a join. A span with status ERROR is an error.
 * Percentiles are DuckDB's {@code quantile_cont} (linear interpolation between the two
 * nearest ranks) over the entry spans' durations, in milliseconds.
 */
public final class RedQuery {
    /** More steps than a chart can show means the caller picked the wrong step. */
    public static final int MAX_STEPS = 10_000;

    /** {@code entry IS NOT FALSE}: NULL is a @Monitor span whose parent never arrived, which counts. */
    private static final String ENTRY_SPANS = """
            SELECT service, start_nanos, duration_nanos, status
            FROM spans
            WHERE start_nanos >= ? AND start_nanos < ? %s AND entry IS NOT FALSE
            """;

    private static final String FIGURES = """
            count(*) AS requests,
            count(*) FILTER (WHERE status = 'ERROR') AS errors,
            quantile_cont(duration_nanos, [0.5, 0.95, 0.99]) AS quantiles
            """;

    private static final String SERVICES = """
            WITH entries AS (%s),
            seen AS (SELECT service FROM spans WHERE start_nanos >= ? AND start_nanos < ?
                     UNION
                     SELECT service FROM logs WHERE time_nanos >= ? AND time_nanos < ?),
            red AS (SELECT service, %s FROM entries GROUP BY service)
            SELECT seen.service, red.requests, red.errors, red.quantiles
            FROM seen LEFT JOIN red ON red.service = seen.service
            ORDER BY seen.service
            """.formatted(ENTRY_SPANS.formatted(""), FIGURES);

    private static final String SERIES = """
            WITH entries AS (%s)
            SELECT (start_nanos - ?) // ? AS step, %s
            FROM entries GROUP BY step ORDER BY step
            """.formatted(ENTRY_SPANS.formatted("AND service = ?"), FIGURES);

    private RedQuery() {
    }

    /** Every service with a span or a log in {@code range}, sorted by name, with its RED figures (0 when it had no entry span). */
    public static List<ServiceSummary> services(Connection connection, TimeRange range) throws SQLException {
        List<ServiceSummary> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(SERVICES)) {
            long from = range.fromNanos();
            long to = range.toNanos();
            int i = 1;
            ps.setLong(i++, from);
            ps.setLong(i++, to);
            ps.setLong(i++, from);
            ps.setLong(i++, to);
            ps.setLong(i++, from);
            ps.setLong(i, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long requests = rs.getLong(2);
                    long errors = rs.getLong(3);
                    double[] q = quantiles(rs.getArray(4));
                    out.add(new ServiceSummary(rs.getString(1), requests, errors, rate(errors, requests), q[0], q[1], q[2]));
                }
            }
        }
        return out;
    }

    /**
     * The RED series of {@code service}: one point per {@code step} from {@code range.from()},
     * the last one starting before {@code range.to()}, steps without requests included as zeros.
     */
    public static List<RedPoint> series(Connection connection, String service, TimeRange range, Duration step)
            throws SQLException {
        if (step == null || step.isZero() || step.isNegative()) {
            throw new IllegalArgumentException("step must be positive, was " + step);
        }
        long stepNanos = step.toNanos();
        long from = range.fromNanos();
        long span = range.toNanos() - from;
        long steps = Math.max(1, (span + stepNanos - 1) / stepNanos);
        if (steps > MAX_STEPS) {
            throw new IllegalArgumentException("step " + step + " cuts the window into " + steps
                    + " points; use a step of at least " + Duration.ofNanos((span + MAX_STEPS - 1) / MAX_STEPS)
                    + " (at most " + MAX_STEPS + " points)");
        }
        RedPoint[] points = new RedPoint[(int) steps];
        try (PreparedStatement ps = connection.prepareStatement(SERIES)) {
            int i = 1;
            ps.setLong(i++, from);
            ps.setLong(i++, range.toNanos());
            ps.setString(i++, service);
            ps.setLong(i++, from);
            ps.setLong(i, stepNanos);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int index = (int) rs.getLong(1);
                    long requests = rs.getLong(2);
                    long errors = rs.getLong(3);
                    double[] q = quantiles(rs.getArray(4));
                    points[index] = new RedPoint(stepStart(range.from(), step, index), requests, errors,
                            rate(errors, requests), q[0], q[1], q[2]);
                }
            }
        }
        List<RedPoint> out = new ArrayList<>(points.length);
        for (int index = 0; index < points.length; index++) {
            out.add(points[index] != null ? points[index]
                    : new RedPoint(stepStart(range.from(), step, index), 0, 0, 0, 0, 0, 0));
        }
        return out;
    }

    private static Instant stepStart(Instant from, Duration step, int index) {
        return from.plus(step.multipliedBy(index));
    }

    private static double rate(long errors, long requests) {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    /** p50, p95, p99 in milliseconds; zeros when there were no requests. */
    private static double[] quantiles(Array array) throws SQLException {
        double[] ms = new double[3];
        if (array == null) {
            return ms;
        }
        Object[] values = (Object[]) array.getArray();
        for (int i = 0; i < Math.min(3, values.length); i++) {
            ms[i] = values[i] == null ? 0 : ((Number) values[i]).doubleValue() / 1e6;
        }
        return ms;
    }
}
