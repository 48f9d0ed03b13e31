package dev.plumb.analytics.ingest;

import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds, as spans are written, the service of each span's parent, so that RED and the service
 * map read columns instead of joining every span to its parent at query time.
 *
 * <p>The parent is looked for in the same transaction, then among the recently written spans
 * (the last {@value #RECENT} at least, up to twice as many). When found, the child is stored
 * with {@code parent_service} set. When not (the parent is in a later request, often the case
 * across services), the child is remembered (under the last {@value #WAITING} parent ids at
 * least, up to twice as many); when the parent arrives, a row goes to
 * {@code late_parents} in the parent's transaction. Both memories are reloaded from the last
 * {@value #RELOAD_MINUTES} minutes of stored spans at open, so a restart loses nothing in
 * that window.
 *
 * <p>It also decides {@code spans.entry}, whether the span is an entry span of its service
 * (see {@code dev.plumb.analytics.red.RedQuery}): SERVER and CONSUMER spans are; other spans
 * without {@code code.function.name} are not; a {@code @Monitor} span is when it has no parent
 * or its parent belongs to another service. A {@code @Monitor} span whose parent has not
 * arrived is stored with {@code entry = NULL} (counted, as its parent is absent) and updated
 * to {@code FALSE} if the parent turns out to be of the same service.
 *
 * <p>Used only by the writer thread.
 */
final class ParentResolver {
    static final int RECENT = 100_000;
    static final int WAITING = 100_000;
    static final int RELOAD_MINUTES = 15;

    /** A span whose parent has not been seen yet. */
    record Waiting(String traceId, String spanId, String service, long startNanos, long durationNanos, String status,
                   boolean monitor) {
    }

    /** A waiting span whose parent arrived: a row of {@code late_parents}. */
    record LateParent(Waiting child, String parentService) {
    }

    /**
     * What one transaction writes besides its rows, by the position of each span in the list
     * given to {@link #decide}: the ids lower-cased once here, so that the appenders and the
     * memories reuse them instead of converting each id again.
     */
    record Decisions(PreparedSpans prepared, String[] parentServices, Boolean[] entries,
                     List<LateParent> lateParents, List<Waiting> notEntries) {
        String traceId(int i) {
            return prepared.traceIds()[i];
        }

        String spanId(int i) {
            return prepared.spanIds()[i];
        }

        String parentSpanId(int i) {
            return prepared.parentIds()[i];
        }

        String parentService(int i) {
            return parentServices[i];
        }

        Boolean entry(int i) {
            return entries[i];
        }
    }

    /**
     * The spans written lately, with their services, in two generations of {@value #RECENT}
     * keys: when the newer fills, the older is cleared and becomes the newer. So the last
     * {@value #RECENT} spans are always remembered, and up to twice as many.
     */
    private SpanIdTable<String> recent = new SpanIdTable<>(RECENT);
    private SpanIdTable<String> olderRecent = new SpanIdTable<>(RECENT);
    /** Spans waiting for their parent, by the parent's key, in two generations like {@link #recent}. */
    private SpanIdTable<List<Waiting>> waiting = new SpanIdTable<>(WAITING);
    private SpanIdTable<List<Waiting>> olderWaiting = new SpanIdTable<>(WAITING);
    /** The spans of the transaction being decided; cleared for each. */
    private final SpanIdTable<String> inGroup = new SpanIdTable<>(1 << 14);

    /**
     * Ids are stored and compared lower-case (queries lower-case what users type). The OTLP
     * decoder already emits lower-case hex, for which this returns the same string after one scan.
     */
    static String lower(String id) {
        if (id == null) {
            return "";
        }
        // A plain ASCII scan first: String.toLowerCase looks every character up in a case table.
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c >= 'A' && c <= 'Z' || c > 0x7f) {
                return id.toLowerCase(Locale.ROOT);
            }
        }
        return id;
    }

    private static boolean isMonitor(SpanRow s) {
        return s.attributes().containsKey("code.function.name");
    }

    /**
     * Decides for the spans of one transaction, without changing what it remembers (the
     * transaction may fail); {@code prepared} holds their ids, in the same order.
     */
    Decisions decide(List<SpanRow> spans, PreparedSpans prepared) {
        int n = spans.size();
        long[] high = prepared.traceHigh();
        long[] low = prepared.traceLow();
        long[] spanBits = prepared.spanBits();
        long[] parentBits = prepared.parentBits();
        inGroup.clear(n);
        for (int i = 0; i < n; i++) {
            inGroup.put(high[i], low[i], spanBits[i], text(spans.get(i).service()));
        }
        String[] parentServices = new String[n];
        Boolean[] entries = new Boolean[n];
        List<LateParent> late = new ArrayList<>();
        List<Waiting> notEntries = new ArrayList<>();
        boolean anyWaiting = waiting.size() + olderWaiting.size() > 0;
        for (int i = 0; i < n; i++) {
            SpanRow s = spans.get(i);
            boolean hasParent = !prepared.parentIds()[i].isEmpty();
            String parentService = null;
            if (hasParent) {
                parentService = inGroup.get(high[i], low[i], parentBits[i]);
                if (parentService == null) {
                    parentService = recentService(high[i], low[i], parentBits[i]);
                }
            }
            parentServices[i] = parentService;
            entries[i] = entry(s, hasParent, parentService);
            List<Waiting> children = anyWaiting ? waitingFor(high[i], low[i], spanBits[i]) : null;
            if (children != null) {
                for (Waiting child : children) {
                    late.add(new LateParent(child, s.service()));
                    if (child.monitor() && child.service().equals(s.service())) {
                        notEntries.add(child);
                    }
                }
            }
        }
        return new Decisions(prepared, parentServices, entries, late, notEntries);
    }

    private String recentService(long high, long low, long span) {
        String service = recent.get(high, low, span);
        return service != null ? service : olderRecent.get(high, low, span);
    }

    private List<Waiting> waitingFor(long high, long low, long span) {
        List<Waiting> children = waiting.get(high, low, span);
        return children != null ? children : olderWaiting.get(high, low, span);
    }

    private static Boolean entry(SpanRow s, boolean hasParent, String parentService) {
        if (s.kind() == SpanKind.SERVER || s.kind() == SpanKind.CONSUMER) {
            return Boolean.TRUE;
        }
        if (!isMonitor(s)) {
            return Boolean.FALSE;
        }
        if (!hasParent) {
            return Boolean.TRUE;
        }
        return parentService == null ? null : !parentService.equals(s.service());
    }

    /** Remembers a committed transaction's spans. */
    void committed(List<SpanRow> spans, Decisions decisions) {
        PreparedSpans prepared = decisions.prepared();
        long[] high = prepared.traceHigh();
        long[] low = prepared.traceLow();
        long[] spanBits = prepared.spanBits();
        boolean anyWaiting = waiting.size() + olderWaiting.size() > 0;
        for (int i = 0; i < spanBits.length; i++) {
            rememberRecent(high[i], low[i], spanBits[i], text(spans.get(i).service()));
            if (anyWaiting) {
                waiting.remove(high[i], low[i], spanBits[i]);
                olderWaiting.remove(high[i], low[i], spanBits[i]);
            }
        }
        for (int i = 0; i < spanBits.length; i++) {
            if (!decisions.parentSpanId(i).isEmpty() && decisions.parentService(i) == null) {
                SpanRow s = spans.get(i);
                remember(high[i], low[i], prepared.parentBits()[i], new Waiting(decisions.traceId(i),
                        decisions.spanId(i), s.service(), s.startNanos(), s.durationNanos(), s.status().name(),
                        isMonitor(s)));
            }
        }
    }

    private void rememberRecent(long high, long low, long span, String service) {
        if (recent.size() >= RECENT) {
            SpanIdTable<String> cleared = olderRecent;
            cleared.clear(RECENT);
            olderRecent = recent;
            recent = cleared;
        }
        recent.put(high, low, span, service);
    }

    private void remember(long high, long low, long parent, Waiting child) {
        List<Waiting> children = waiting.get(high, low, parent);
        if (children == null) {
            if (waiting.size() >= WAITING) {
                SpanIdTable<List<Waiting>> cleared = olderWaiting;
                cleared.clear(WAITING);
                olderWaiting = waiting;
                waiting = cleared;
            }
            List<Waiting> older = olderWaiting.get(high, low, parent);
            children = older == null ? new ArrayList<>(1) : older;
            olderWaiting.remove(high, low, parent);
            waiting.put(high, low, parent, children);
        }
        children.add(child);
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    /**
     * Reloads what a previous process remembered, from the spans that started in the last
     * minutes before the newest one stored (data time, so that backfilled data works too).
     */
    void reload(Connection connection) throws SQLException {
        long since;
        try (PreparedStatement ps = connection.prepareStatement("SELECT max(start_nanos) FROM spans");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            since = rs.getLong(1) - RELOAD_MINUTES * 60_000_000_000L;
            if (rs.wasNull()) {
                return;
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT trace_id, span_id, service FROM spans WHERE start_nanos >= ? ORDER BY start_nanos LIMIT ?")) {
            ps.setLong(1, since);
            ps.setInt(2, RECENT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String traceId = rs.getString(1);
                    rememberRecent(hexBits(traceId, 0), hexBits(traceId, 16), hexBits(rs.getString(2), 0),
                            text(rs.getString(3)));
                }
            }
        }
        try (PreparedStatement ps = connection.prepareStatement("""
                SELECT s.trace_id, s.span_id, s.parent_span_id, s.service, s.start_nanos, s.duration_nanos, s.status,
                       s.code_function <> ''
                FROM spans s
                WHERE s.start_nanos >= ? AND s.parent_span_id <> '' AND s.parent_service IS NULL
                  AND NOT EXISTS (SELECT 1 FROM late_parents l WHERE l.trace_id = s.trace_id AND l.span_id = s.span_id)
                ORDER BY s.start_nanos LIMIT ?
                """)) {
            ps.setLong(1, since);
            ps.setInt(2, WAITING);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String traceId = rs.getString(1);
                    remember(hexBits(traceId, 0), hexBits(traceId, 16), hexBits(rs.getString(3), 0),
                            new Waiting(traceId, rs.getString(2), rs.getString(4), rs.getLong(5), rs.getLong(6),
                                    rs.getString(7), rs.getBoolean(8)));
                }
            }
        }
    }

    /** The 64 bits that 16 hex digits of a stored id spell, from {@code from}. */
    private static long hexBits(String id, int from) {
        return Long.parseUnsignedLong(id, from, from + 16, 16);
    }
}
