package dev.plumb.analytics.querytables;

import dev.plumb.analytics.schema.TraceKey;
import dev.plumb.analytics.telemetry.LogRow;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Keeps the narrow query tables of {@code schema.sql} ({@code entry_spans}, {@code service_calls},
 * {@code service_minutes}) in step with {@code spans} and {@code logs}. The writer calls
 * {@link #append} inside each transaction, after its own rows and entry decisions, so a reader
 * never sees a span in one table and not in the other.
 *
 * <p>Why the tables exist: RED, the service list and the service map used to scan every span
 * (and every log record) of the window; entry spans are about one span in three, cross-service
 * spans fewer, and a service appears once a minute in {@code service_minutes}.
 */
public final class QueryTables {
    /** Minutes of {@code service_minutes}, in nanoseconds. */
    public static final long MINUTE_NANOS = 60_000_000_000L;

    // The keys are id prefixes (15 hex digits), so the service and the start take part in the match
    // too: ids that differ only in their last digit (hand-made ones, like 00…a2 and 00…a3) must not
    // unmark each other's rows. A span that stops being an entry always has its parent's service.
    private static final String UNMARK =
            "DELETE FROM entry_spans WHERE start_nanos = ? AND trace_key = ? AND span_key = ? AND service = ?";

    /** A stored span named by its ids and start, for {@link #append}'s list of spans that stopped being entries. */
    public record SpanRef(String traceId, String spanId, String service, long startNanos) {
    }

    private QueryTables() {
    }

    /**
     * Appends the query rows of one transaction. {@code spans} are its spans in writing order;
     * {@code entries[i]} and {@code parentServices[i]} are the writer's decisions for
     * {@code spans.get(i)} (as stored in {@code spans.entry} and {@code spans.parent_service}),
     * {@code traceKeys[i]} and {@code spanKeys[i]} its ids' keys ({@link TraceKey#of}), which
     * the writer has at hand; {@code noLongerEntries} are spans of earlier transactions whose same-service parent
     * arrived now, so they no longer count as requests.
     */
    public static void append(DuckDBConnection connection, List<TelemetryBatch> batches, List<SpanRow> spans,
                              long[] traceKeys, long[] spanKeys, Boolean[] entries, String[] parentServices,
                              List<SpanRef> noLongerEntries) throws SQLException {
        Set<Minute> minutes = new HashSet<>();
        Minute last = null;
        try (DuckDBAppender entry = connection.createAppender("main", "entry_spans");
             DuckDBAppender calls = connection.createAppender("main", "service_calls")) {
            for (int i = 0; i < spans.size(); i++) {
                SpanRow s = spans.get(i);
                String service = text(s.service());
                boolean error = s.status() == StatusCode.ERROR;
                long minute = minuteOf(s.startNanos());
                // Spans come in runs of one service and minute: one set entry per run, not per span.
                if (last == null || last.startNanos() != minute || !last.service().equals(service)) {
                    last = new Minute(minute, service);
                    minutes.add(last);
                }
                if (!Boolean.FALSE.equals(entries[i])) {
                    entry.beginRow().append(s.startNanos()).append(service).append(text(s.name()))
                            .append(s.durationNanos()).append(error).append(traceKeys[i]).append(spanKeys[i]).endRow();
                }
                String parent = parentServices[i];
                if (parent != null && !parent.equals(service)) {
                    calls.beginRow().append(s.startNanos()).append(parent).append(service)
                            .append(s.durationNanos()).append(error).endRow();
                }
            }
        }
        for (TelemetryBatch batch : batches) {
            for (LogRow l : batch.logs()) {
                minutes.add(new Minute(minuteOf(l.timeNanos() != 0 ? l.timeNanos() : l.observedNanos()), text(l.service())));
            }
        }
        if (!minutes.isEmpty()) {
            try (DuckDBAppender seen = connection.createAppender("main", "service_minutes")) {
                for (Minute m : minutes) {
                    seen.beginRow().append(m.startNanos()).append(m.service()).endRow();
                }
            }
        }
        if (!noLongerEntries.isEmpty()) {
            try (PreparedStatement unmark = connection.prepareStatement(UNMARK)) {
                for (SpanRef ref : noLongerEntries) {
                    // One by one: DuckDB's executeBatch opens a transaction of its own.
                    unmark.setLong(1, ref.startNanos());
                    unmark.setLong(2, TraceKey.of(ref.traceId()));
                    unmark.setLong(3, TraceKey.of(ref.spanId()));
                    unmark.setString(4, text(ref.service()));
                    unmark.executeUpdate();
                }
            }
        }
    }

    /** The start of the minute holding {@code nanos}, as {@code service_minutes} and its SQL fill compute it. */
    public static long minuteOf(long nanos) {
        return nanos / MINUTE_NANOS * MINUTE_NANOS;
    }

    private record Minute(long startNanos, String service) {
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
