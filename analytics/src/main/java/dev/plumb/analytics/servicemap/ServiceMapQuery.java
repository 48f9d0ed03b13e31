package dev.plumb.analytics.servicemap;

import dev.plumb.analytics.TimeRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The service map: an edge {@code from -> to} for every child span of service {@code to}
 * whose parent span belongs to service {@code from} (parents looked up to one hour before
 * the window). {@code calls} counts such child spans, {@code errors} those with status ERROR,
 * {@code p95Ms} is {@code quantile_cont} of their durations.
 */
public final class ServiceMapQuery {
    private static final long LOOKBACK_NANOS = Duration.ofHours(1).toNanos();
    private static final String SQL = """
            SELECT p.service AS from_service, c.service AS to_service, count(*) AS calls,
                   count(*) FILTER (WHERE c.status = 'ERROR') AS errors,
                   quantile_cont(c.duration_nanos, 0.95) AS p95
            FROM spans c
            JOIN spans p ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id
            WHERE c.start_nanos >= ? AND c.start_nanos < ? AND c.parent_span_id <> ''
              AND p.start_nanos >= ? AND p.start_nanos < ?
              AND p.service <> c.service
            GROUP BY from_service, to_service
            ORDER BY from_service, to_service
            """;

    private ServiceMapQuery() {
    }

    /** The edges seen in {@code range}, sorted by caller then callee. */
    public static List<ServiceEdge> edges(Connection connection, TimeRange range) throws SQLException {
        List<ServiceEdge> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(SQL)) {
            ps.setLong(1, range.fromNanos());
            ps.setLong(2, range.toNanos());
            ps.setLong(3, range.fromNanos() - LOOKBACK_NANOS);
            ps.setLong(4, range.toNanos());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ServiceEdge(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            rs.getDouble(5) / 1e6));
                }
            }
        }
        return out;
    }
}
