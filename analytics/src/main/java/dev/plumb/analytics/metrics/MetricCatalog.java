package dev.plumb.analytics.metrics;

import dev.plumb.analytics.TimeRange;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The metrics stored in a window, one entry per name and point type, sorted by name. */
public final class MetricCatalog {
    private static final String SQL = """
            SELECT name, type, bool_or(monotonic), max(unit), max(description),
                   list_sort(list_distinct(flatten(list(json_keys(attributes))))),
                   list_sort(list_distinct(list(service))),
                   count(DISTINCT service || chr(31) || CAST(attributes AS VARCHAR) || chr(31) || CAST(resource AS VARCHAR)),
                   count(*)
            FROM metric_points
            WHERE time_nanos >= ? AND time_nanos < ? %s
            GROUP BY name, type
            ORDER BY name, type
            """;

    private MetricCatalog() {
    }

    /** The metrics with a point in {@code range}, of {@code service} only when it is not null. */
    public static List<MetricInfo> list(Connection connection, String service, TimeRange range) throws SQLException {
        List<MetricInfo> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(SQL.formatted(service == null ? "" : "AND service = ?"))) {
            ps.setLong(1, range.fromNanos());
            ps.setLong(2, range.toNanos());
            if (service != null) {
                ps.setString(3, service);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    boolean monotonic = rs.getBoolean(3);
                    out.add(new MetricInfo(rs.getString(1), type, monotonic, rs.getString(4), rs.getString(5),
                            texts(rs.getArray(6)), texts(rs.getArray(7)), rs.getLong(8), rs.getLong(9),
                            MetricAgg.names(type, monotonic)));
                }
            }
        }
        return out;
    }

    private static List<String> texts(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        return Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
    }
}
