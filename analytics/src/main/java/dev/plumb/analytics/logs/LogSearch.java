package dev.plumb.analytics.logs;

import dev.plumb.analytics.TimeRange;
import dev.plumb.analytics.schema.AttributeJson;
import dev.plumb.analytics.schema.TraceKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Log record queries: search in the query language, and the records of one trace. */
public final class LogSearch {
    /** The most records one search returns, whatever the caller asks. */
    public static final int MAX_LIMIT = 10_000;

    private static final String COLUMNS =
            "SELECT time_nanos, service, severity_number, severity_text, body, trace_id, span_id, attributes FROM logs ";

    private LogSearch() {
    }

    /**
     * Records in {@code range} that match {@code query}, newest first, at most {@code limit}
     * (capped at {@value #MAX_LIMIT}). Throws {@link LogQueryException} when the query does not parse.
     *
     * <p>The window is searched backwards in slices that grow fourfold (1/64 of it, then 4/64,
     * ...), each newest first, stopping once {@code limit} records are found: rows are stored in
     * arrival order, so DuckDB skips the row groups outside a slice, and a query that matches
     * often reads only the newest part of a large window. A query that matches rarely reads
     * each row once, as a single scan would.
     */
    public static List<LogView> search(Connection connection, String query, TimeRange range, int limit)
            throws SQLException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        int wanted = Math.min(limit, MAX_LIMIT);
        SqlFilter filter = SqlCompiler.compile(query, QueryTarget.LOGS);
        String sql = COLUMNS + "WHERE time_nanos >= ? AND time_nanos < ? AND (" + filter.sql()
                + ") ORDER BY time_nanos DESC LIMIT ?";
        List<LogView> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            long from = range.fromNanos();
            long to = range.toNanos();
            long slice = Math.max(1, (to - from) / 64);
            while (to > from && out.size() < wanted) {
                long sliceFrom = to - from <= slice ? from : to - slice;
                int i = 1;
                ps.setLong(i++, sliceFrom);
                ps.setLong(i++, to);
                i = bind(ps, i, filter.parameters());
                ps.setInt(i, wanted - out.size());
                out.addAll(read(ps));
                to = sliceFrom;
                slice = slice > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : slice * 4;
            }
        }
        return out;
    }

    /**
     * The records that carry {@code traceId} and were written between {@code fromNanos} and
     * {@code toNanos} (the trace's time with a margin, so DuckDB skips the other row groups),
     * oldest first.
     */
    public static List<LogView> ofTrace(Connection connection, String traceId, long fromNanos, long toNanos)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                COLUMNS + "WHERE time_nanos >= ? AND time_nanos < ? AND trace_key = ? AND trace_id = ? ORDER BY time_nanos")) {
            ps.setLong(1, fromNanos);
            ps.setLong(2, toNanos);
            ps.setLong(3, TraceKey.of(traceId));
            ps.setString(4, traceId);
            return read(ps);
        }
    }

    /** Binds {@code values} from parameter index {@code first}; answers the next free index. */
    public static int bind(PreparedStatement ps, int first, List<Object> values) throws SQLException {
        int i = first;
        for (Object value : values) {
            ps.setObject(i++, value);
        }
        return i;
    }

    private static List<LogView> read(PreparedStatement ps) throws SQLException {
        List<LogView> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long nanos = rs.getLong(1);
                String text = rs.getString(4);
                out.add(new LogView(Instant.ofEpochSecond(0, nanos), rs.getString(2),
                        text == null || text.isEmpty() ? severityName(rs.getInt(3)) : text,
                        rs.getString(5), rs.getString(6), rs.getString(7), AttributeJson.decode(rs.getString(8))));
            }
        }
        return out;
    }

    /** OTLP's short name for a severity number (1-4 TRACE ... 21-24 FATAL), empty for 0. */
    public static String severityName(int number) {
        if (number <= 0) {
            return "";
        }
        String[] names = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
        return names[Math.min(names.length - 1, (number - 1) / 4)];
    }
}
