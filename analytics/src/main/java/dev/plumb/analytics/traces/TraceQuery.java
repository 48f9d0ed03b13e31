package dev.plumb.analytics.traces;

import dev.plumb.analytics.logs.LogSearch;
import dev.plumb.analytics.logs.LogView;
import dev.plumb.analytics.logs.QueryTarget;
import dev.plumb.analytics.logs.SqlCompiler;
import dev.plumb.analytics.logs.SqlFilter;
import dev.plumb.analytics.schema.AttributeJson;
import dev.plumb.analytics.schema.TraceKey;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Trace search and the trace tree.
 *
 * <p>A search finds the traces with at least one span in the window that matches every
 * filter (service, and {@link TraceSearch#query()} in the log query language over span
 * fields, see {@link SqlCompiler}), then summarises each whole trace: the root is the span
 * without a parent (else the earliest), the duration is the latest end minus the earliest
 * start, and the trace is an error when any span has status ERROR. Without a duration bound
 * the search first keeps the {@code limit} traces whose first matching span is newest, and only
 * then reads their other spans, so its cost does not grow with the number of matching traces;
 * with {@code minDurationMs} every matching trace must be measured. Either way the answer is
 * sorted by trace start, newest first. The tree's logs are the
 * records with its trace id from ten minutes before its first span to ten minutes after its end.
 */
public final class TraceQuery {
    /** Default and largest number of traces a search returns. */
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 1_000;
    /** How far outside the window the other spans of a matched trace are looked for. */
    private static final long SLACK_NANOS = Duration.ofHours(1).toNanos();
    /** Logs of a trace are looked for this long before its first span and after its last. */
    private static final long LOG_MARGIN_NANOS = Duration.ofMinutes(10).toNanos();

    // Traces are grouped and joined by trace_bits, the stored integer id: only the traces answered
    // have their hex id formatted (see the spans view in schema.sql). The %% is for String.formatted.
    private static final String SUMMARY = """
            SELECT printf('%%032x', s.trace_bits) AS trace_id,
                   min(s.start_nanos) AS trace_start,
                   max(s.end_nanos) - min(s.start_nanos) AS trace_nanos,
                   count(*) AS span_count,
                   bool_or(s.status = 'ERROR') AS error,
                   first(s.service ORDER BY s.parent_span_id <> '', s.start_nanos) AS root_service,
                   first(s.name ORDER BY s.parent_span_id <> '', s.start_nanos) AS root_name
            """;

    private static final String LONG_ENOUGH_NEWEST_FIRST = """
            GROUP BY s.trace_bits
            HAVING max(s.end_nanos) - min(s.start_nanos) >= ?
            ORDER BY trace_start DESC, s.trace_bits
            LIMIT ?
            """;

    /** The newest {@code limit} matching traces first, then only their spans (joined by the integer trace_key). */
    private static final String NEWEST = """
            WITH hits AS (
                SELECT trace_key, trace_bits, min(start_nanos) AS first_hit FROM spans
                WHERE start_nanos >= ? AND start_nanos < ? %s
                GROUP BY trace_key, trace_bits
                ORDER BY first_hit DESC, trace_bits
                LIMIT ?
            )
            """ + SUMMARY + """
            FROM spans s JOIN hits h ON s.trace_key = h.trace_key AND s.trace_bits = h.trace_bits
            WHERE s.start_nanos >= ? AND s.start_nanos < ?
            """ + LONG_ENOUGH_NEWEST_FIRST;

    private static final String SEARCH = """
            WITH hits AS (
                SELECT DISTINCT trace_bits FROM spans
                WHERE start_nanos >= ? AND start_nanos < ? %s
            )
            """ + SUMMARY + """
            FROM spans s
            WHERE s.trace_bits IN (SELECT trace_bits FROM hits)
              AND s.start_nanos >= ? AND s.start_nanos < ?
            """ + LONG_ENOUGH_NEWEST_FIRST;

    private static final String SPANS = """
            SELECT span_id, parent_span_id, service, name, kind, start_nanos, duration_nanos, status,
                   status_message, attributes, trace_bits = CAST(? AS UHUGEINT) AS of_this_trace
            FROM spans WHERE trace_key = ? ORDER BY start_nanos, span_id
            """;

    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");

    private static final String EVENTS =
            "SELECT span_id, name, time_nanos, attributes FROM span_events WHERE trace_key = ? AND trace_id = ? "
            + "ORDER BY time_nanos";

    private TraceQuery() {
    }

    /** Summaries of the traces that match {@code search}, newest first. */
    public static List<TraceSummary> search(Connection connection, TraceSearch search) throws SQLException {
        StringBuilder filters = new StringBuilder();
        List<Object> params = new ArrayList<>();
        if (search.service() != null && !search.service().isBlank()) {
            filters.append(" AND service = ?");
            params.add(search.service());
        }
        if (search.query() != null && !search.query().isBlank()) {
            SqlFilter filter = SqlCompiler.compile(search.query(), QueryTarget.SPANS);
            filters.append(" AND (").append(filter.sql()).append(')');
            params.addAll(filter.parameters());
        }
        int limit = search.limit() <= 0 ? DEFAULT_LIMIT : Math.min(search.limit(), MAX_LIMIT);
        long from = search.range().fromNanos();
        long to = search.range().toNanos();
        List<TraceSummary> out = new ArrayList<>();
        boolean newest = search.minDurationMs() <= 0;
        try (PreparedStatement ps = connection.prepareStatement((newest ? NEWEST : SEARCH).formatted(filters))) {
            int i = 1;
            ps.setLong(i++, from);
            ps.setLong(i++, to);
            i = LogSearch.bind(ps, i, params);
            if (newest) {
                ps.setInt(i++, limit);
            }
            ps.setLong(i++, from - SLACK_NANOS);
            ps.setLong(i++, to + SLACK_NANOS);
            ps.setLong(i++, (long) Math.ceil(Math.max(0, search.minDurationMs()) * 1e6));
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TraceSummary(rs.getString(1), rs.getString(6), rs.getString(7),
                            Instant.ofEpochSecond(0, rs.getLong(2)), rs.getLong(3) / 1e6, rs.getInt(4),
                            rs.getBoolean(5)));
                }
            }
        }
        return out;
    }

    /** The whole trace {@code traceId} as a tree with its logs, or empty when no span of it is stored. */
    public static Optional<TraceTree> tree(Connection connection, String traceId) throws SQLException {
        String id = traceId.toLowerCase(Locale.ROOT);
        if (!TRACE_ID.matcher(id).matches()) {
            return Optional.empty(); // span_rows holds 32-digit ids only
        }
        Map<String, List<SpanEventView>> events = events(connection, id);
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(SPANS)) {
            // Only trace_key in the filter: a second condition, on the view's hex id or even on the
            // stored integer, made DuckDB evaluate it before the key's, over every row (3 ms
            // against 10 at 10 M spans). The few rows that share the key are told apart here.
            ps.setString(1, new BigInteger(id, 16).toString());
            ps.setLong(2, TraceKey.of(id));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean(11)) {
                        continue;
                    }
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getString(9),
                            AttributeJson.decode(rs.getString(10))));
                }
            }
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        long first = rows.stream().mapToLong(Row::startNanos).min().orElseThrow();
        long last = rows.stream().mapToLong(r -> r.startNanos() + r.durationNanos()).max().orElseThrow();
        List<LogView> logs = LogSearch.ofTrace(connection, id, first - LOG_MARGIN_NANOS, last + LOG_MARGIN_NANOS);
        return Optional.of(new TraceTree(id, nest(rows, events), logs));
    }

    /** A span as read, before nesting. */
    private record Row(String spanId, String parentSpanId, String service, String name, String kind, long startNanos,
                       long durationNanos, String status, String statusMessage, Map<String, Object> attributes) {
    }

    private static Map<String, List<SpanEventView>> events(Connection connection, String traceId) throws SQLException {
        Map<String, List<SpanEventView>> bySpan = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(EVENTS)) {
            ps.setLong(1, TraceKey.of(traceId));
            ps.setString(2, traceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bySpan.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new SpanEventView(
                            rs.getString(2), Instant.ofEpochSecond(0, rs.getLong(3)), AttributeJson.decode(rs.getString(4))));
                }
            }
        }
        return bySpan;
    }

    /**
     * Roots are spans whose parent is empty or was never stored; children hang under their
     * parent ordered by start. Spans unreachable from a root (a parent cycle in bad data) are
     * added as roots so that no stored span disappears from the view.
     */
    private static List<SpanNode> nest(List<Row> rows, Map<String, List<SpanEventView>> events) {
        Map<String, Row> byId = new LinkedHashMap<>();
        for (Row row : rows) {
            byId.putIfAbsent(row.spanId(), row);
        }
        Map<String, List<Row>> children = new HashMap<>();
        List<Row> roots = new ArrayList<>();
        for (Row row : byId.values()) {
            if (row.parentSpanId().isEmpty() || !byId.containsKey(row.parentSpanId())) {
                roots.add(row);
            } else {
                children.computeIfAbsent(row.parentSpanId(), k -> new ArrayList<>()).add(row);
            }
        }
        Set<String> placed = new HashSet<>();
        List<SpanNode> out = new ArrayList<>();
        for (Row root : roots) {
            out.add(node(root, children, events, placed));
        }
        for (Row row : byId.values()) {
            if (!placed.contains(row.spanId())) {
                out.add(node(row, children, events, placed));
            }
        }
        out.sort(Comparator.comparing(SpanNode::startTs));
        return out;
    }

    private static SpanNode node(Row row, Map<String, List<Row>> children, Map<String, List<SpanEventView>> events,
                                 Set<String> placed) {
        placed.add(row.spanId());
        List<SpanNode> kids = new ArrayList<>();
        for (Row child : children.getOrDefault(row.spanId(), List.of())) {
            if (!placed.contains(child.spanId())) {
                kids.add(node(child, children, events, placed));
            }
        }
        kids.sort(Comparator.comparing(SpanNode::startTs));
        return new SpanNode(row.spanId(), row.parentSpanId(), row.service(), row.name(), row.kind(),
                Instant.ofEpochSecond(0, row.startNanos()), row.durationNanos() / 1e6, row.status(),
                row.statusMessage(), row.attributes(), List.copyOf(events.getOrDefault(row.spanId(), List.of())),
                List.copyOf(kids));
    }
}
