package dev.plumb.analytics.retention;

import dev.plumb.analytics.StoreOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deletes rows older than their signal's retention. One short transaction per table, on its
 * own connection, so the writer (which only appends) is never blocked behind it for long.
 */
public final class RetentionSweeper {
    /** Each table with its time column and which retention applies. */
    private enum Table {
        SPANS("spans", "span_rows", "start_nanos"), SPAN_EVENTS("span_events", "time_nanos"), SPAN_LINKS("span_links", "start_nanos"),
        LATE_PARENTS("late_parents", "start_nanos"),
        LOGS("logs", "time_nanos"), METRIC_POINTS("metric_points", "time_nanos"),
        METRIC_EXEMPLARS("metric_exemplars", "time_nanos"),
        // The query tables (dev.plumb.analytics.querytables.QueryTables) follow what they stand for.
        ENTRY_SPANS("entry_spans", "start_nanos"), SERVICE_CALLS("service_calls", "start_nanos"),
        SERVICE_MINUTES("service_minutes", "minute_nanos");

        final String sql;
        final String name;

        Table(String name, String timeColumn) {
            this(name, name, timeColumn);
        }

        /** {@code name} is what {@link #sweep} reports; {@code table} is where the rows are (spans: a view). */
        Table(String name, String table, String timeColumn) {
            this.name = name;
            this.sql = "DELETE FROM " + table + " WHERE " + timeColumn + " < ?";
        }

        Duration retention(StoreOptions o) {
            return switch (this) {
                case SPANS, SPAN_EVENTS, SPAN_LINKS, LATE_PARENTS, ENTRY_SPANS, SERVICE_CALLS -> o.tracesRetention();
                case SERVICE_MINUTES -> max(o.tracesRetention(), o.logsRetention());
                case LOGS -> o.logsRetention();
                case METRIC_POINTS, METRIC_EXEMPLARS -> o.metricsRetention();
            };
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private final StoreOptions options;

    public RetentionSweeper(StoreOptions options) {
        this.options = options;
    }

    /** Deletes what is older than {@code now} minus each retention; answers rows deleted per table. */
    public Map<String, Long> sweep(Connection connection, Instant now) throws SQLException {
        Map<String, Long> deleted = new LinkedHashMap<>();
        for (Table table : Table.values()) {
            Instant cutoff = now.minus(table.retention(options));
            try (PreparedStatement ps = connection.prepareStatement(table.sql)) {
                ps.setLong(1, cutoff.getEpochSecond() * 1_000_000_000L + cutoff.getNano());
                deleted.put(table.name, (long) ps.executeUpdate());
            }
        }
        return deleted;
    }
}
