package dev.plumb.analytics.red;

import dev.plumb.analytics.TimeRange;
import dev.plumb.analytics.querytables.QueryTables;
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
 * RED figures (requests, errors, latency) of services and of their operations, from their
 * <em>entry spans</em>.
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
 * and each entry span is copied into the narrow table {@code entry_spans}
 * ({@link dev.plumb.analytics.querytables.QueryTables}), which is all these queries read: about
 * a third of the rows of {@code spans}. An operation is the entry span's name. A span with
 * status ERROR is an error. Percentiles are exact: DuckDB's {@code quantile_cont} (linear
 * interpolation between the two nearest ranks) over every entry span's duration, in milliseconds.
 */
public final class RedQuery {
    /** More steps than a chart can show means the caller picked the wrong step. */
    public static final int MAX_STEPS = 10_000;

    private static final String FIGURES = """
            count(*) AS requests,
            count(*) FILTER (WHERE error) AS errors,
            quantile_cont(duration_nanos, [0.5, 0.95, 0.99]) AS quantiles
            """;

    private static final String IN_WINDOW = "start_nanos >= ? AND start_nanos < ?";

    /**
     * A service is seen when it sent a span or a log record in the window: whole minutes come
     * from {@code service_minutes}, the partial minutes at either end from the records themselves.
     */
    private static final String SERVICES = """
            WITH seen AS (
                SELECT service FROM service_minutes WHERE minute_nanos >= ? AND minute_nanos < ?
                UNION SELECT service FROM spans WHERE start_nanos >= ? AND start_nanos < ?
                UNION SELECT service FROM spans WHERE start_nanos >= ? AND start_nanos < ?
                UNION SELECT service FROM logs WHERE time_nanos >= ? AND time_nanos < ?
                UNION SELECT service FROM logs WHERE time_nanos >= ? AND time_nanos < ?
            ),
            red AS (SELECT service, %s FROM entry_spans WHERE %s GROUP BY service)
            SELECT seen.service, red.requests, red.errors, red.quantiles
            FROM seen LEFT JOIN red ON red.service = seen.service
            ORDER BY seen.service
            """.formatted(FIGURES, IN_WINDOW);

    private static final String OPERATIONS = """
            SELECT operation, %s FROM entry_spans WHERE %s AND service = ?
            GROUP BY operation ORDER BY operation
            """.formatted(FIGURES, IN_WINDOW);

    private static final String SERIES = """
            SELECT (start_nanos - ?) // ? AS step, %s
            FROM entry_spans WHERE %s AND service = ? %%s
            GROUP BY step ORDER BY step
            """.formatted(FIGURES, IN_WINDOW);

    private RedQuery() {
    }

    /** Every service with a span or a log in {@code range}, sorted by name, with its RED figures (0 when it had no entry span). */
    public static List<ServiceSummary> services(Connection connection, TimeRange range) throws SQLException {
        List<ServiceSummary> out = new ArrayList<>();
        long from = range.fromNanos();
        long to = range.toNanos();
        // Whole minutes inside the window; none when it is shorter than the minutes it touches.
        long wholeFrom = Math.min(to, QueryTables.minuteOf(from) + (from % QueryTables.MINUTE_NANOS == 0 ? 0 : QueryTables.MINUTE_NANOS));
        long wholeTo = Math.max(wholeFrom, QueryTables.minuteOf(to));
        try (PreparedStatement ps = connection.prepareStatement(SERVICES)) {
            int i = 1;
            ps.setLong(i++, wholeFrom);
            ps.setLong(i++, wholeTo);
            for (int table = 0; table < 2; table++) {
                ps.setLong(i++, from);
                ps.setLong(i++, wholeFrom);
                ps.setLong(i++, wholeTo);
                ps.setLong(i++, to);
            }
            ps.setLong(i++, from);
            ps.setLong(i, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Figures f = Figures.read(rs);
                    out.add(new ServiceSummary(rs.getString(1), f.requests, f.errors, f.errorRate(), f.ms[0], f.ms[1], f.ms[2]));
                }
            }
        }
        return out;
    }

    /** Each operation of {@code service} with an entry span in {@code range}, sorted by name, with its RED figures. */
    public static List<OperationSummary> operations(Connection connection, String service, TimeRange range)
            throws SQLException {
        List<OperationSummary> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(OPERATIONS)) {
            ps.setLong(1, range.fromNanos());
            ps.setLong(2, range.toNanos());
            ps.setString(3, service);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Figures f = Figures.read(rs);
                    out.add(new OperationSummary(rs.getString(1), f.requests, f.errors, f.errorRate(), f.ms[0], f.ms[1], f.ms[2]));
                }
            }
        }
        return out;
    }

    /**
     * The RED series of {@code service}: one point per {@code step} from {@code range.from()},
     * the last one starting before {@code range.to()}, steps without requests included as zeros;
     * only the entry spans named {@code operation} when it is not null.
     */
    public static List<RedPoint> series(Connection connection, String service, String operation, TimeRange range,
                                        Duration step) throws SQLException {
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
        try (PreparedStatement ps = connection.prepareStatement(SERIES.formatted(operation == null ? "" : "AND operation = ?"))) {
            int i = 1;
            ps.setLong(i++, from);
            ps.setLong(i++, stepNanos);
            ps.setLong(i++, from);
            ps.setLong(i++, range.toNanos());
            ps.setString(i++, service);
            if (operation != null) {
                ps.setString(i, operation);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int index = (int) rs.getLong(1);
                    Figures f = Figures.read(rs);
                    points[index] = new RedPoint(stepStart(range.from(), step, index), f.requests, f.errors,
                            f.errorRate(), f.ms[0], f.ms[1], f.ms[2]);
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

    /** Columns 2 to 4 of a row of {@link #FIGURES}: requests, errors, and p50/p95/p99 in ms (zeros without requests). */
    private record Figures(long requests, long errors, double[] ms) {
        static Figures read(ResultSet rs) throws SQLException {
            double[] ms = new double[3];
            Array array = rs.getArray(4);
            if (array != null) {
                Object[] values = (Object[]) array.getArray();
                for (int i = 0; i < Math.min(3, values.length); i++) {
                    ms[i] = values[i] == null ? 0 : ((Number) values[i]).doubleValue() / 1e6;
                }
            }
            return new Figures(rs.getLong(2), rs.getLong(3), ms);
        }

        double errorRate() {
            return requests == 0 ? 0 : (double) errors / requests;
        }
    }
}
