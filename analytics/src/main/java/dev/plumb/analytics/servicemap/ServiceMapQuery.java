package dev.plumb.analytics.servicemap;

import dev.plumb.analytics.TimeRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The service map: an edge {@code from -> to} for every span of service {@code to} whose
 * parent span belongs to service {@code from}. {@code calls} counts such child spans,
 * {@code errors} those with status ERROR, {@code p95Ms} is {@code quantile_cont} of their
 * durations. The parent's service is found as spans are written: the spans whose parent was
 * known then are copied into the narrow table {@code service_calls}
 * ({@link dev.plumb.analytics.querytables.QueryTables}), the others are in {@code late_parents}
 * once their parent arrives. So this reads those two tables, not every span.
 */
public final class ServiceMapQuery {
    private static final String SQL = """
            WITH pairs AS (
                SELECT parent_service, service, duration_nanos, error FROM service_calls
                WHERE start_nanos >= ? AND start_nanos < ?
                UNION ALL
                SELECT parent_service, service, duration_nanos, status = 'ERROR' FROM late_parents
                WHERE start_nanos >= ? AND start_nanos < ? AND parent_service <> service
            )
            SELECT parent_service, service, count(*) AS calls,
                   count(*) FILTER (WHERE error) AS errors,
                   quantile_cont(duration_nanos, 0.95) AS p95
            FROM pairs
            GROUP BY parent_service, service
            ORDER BY parent_service, service
            """;

    private ServiceMapQuery() {
    }

    /** The edges seen in {@code range}, sorted by caller then callee. */
    public static List<ServiceEdge> edges(Connection connection, TimeRange range) throws SQLException {
        List<ServiceEdge> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(SQL)) {
            ps.setLong(1, range.fromNanos());
            ps.setLong(2, range.toNanos());
            ps.setLong(3, range.fromNanos());
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
