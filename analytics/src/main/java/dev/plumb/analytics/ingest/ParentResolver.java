package dev.plumb.analytics.ingest;

import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds, as spans are written, the service of each span's parent, so that RED and the service
 * map read columns instead of joining every span to its parent at query time.
 *
 * <p>The parent is looked for in the same transaction, then among the {@value #RECENT} most
 * recently written spans. When found, the child is stored with {@code parent_service} set.
 * When not (the parent is in a later request, often the case across services), the child is
 * remembered (at most {@value #WAITING}); when the parent arrives, a row goes to
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
     * A span's identity: its trace id's two halves and its span id, as the integers that
     * {@code span_rows} stores ({@link PreparedSpans} computes them on the submitting side).
     * Three longs rather than the id strings: the {@value #RECENT} remembered keys then hold
     * no strings, which kept every span's ids alive on the heap for as long as it was
     * remembered, and equality compares three numbers instead of two strings.
     */
    static final class SpanKey {
        private final long traceHigh;
        private final long traceLow;
        private final long spanId;
        private final int hash;

        SpanKey(long traceHigh, long traceLow, long spanId) {
            this.traceHigh = traceHigh;
            this.traceLow = traceLow;
            this.spanId = spanId;
            long h = (traceHigh * 31 + traceLow) * 31 + spanId;
            this.hash = (int) (h ^ (h >>> 32));
        }

        /** The key of hex ids (32 and 16 digits, as the spans view answers them). */
        static SpanKey of(String traceId, String spanId) {
            return new SpanKey(Long.parseUnsignedLong(traceId.substring(0, 16), 16),
                    Long.parseUnsignedLong(traceId.substring(16), 16), Long.parseUnsignedLong(spanId, 16));
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SpanKey k && k.spanId == spanId && k.traceLow == traceLow && k.traceHigh == traceHigh;
        }

        @Override
        public String toString() {
            return String.format("%016x%016x/%016x", traceHigh, traceLow, spanId);
        }
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

        SpanKey[] keys() {
            return prepared.keys();
        }

        SpanKey[] parentKeys() {
            return prepared.parentKeys();
        }

        String parentService(int i) {
            return parentServices[i];
        }

        Boolean entry(int i) {
            return entries[i];
        }
    }

    private final Map<SpanKey, String> recent = new LinkedHashMap<>(1 << 16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SpanKey, String> eldest) {
            return size() > RECENT;
        }
    };
    private final Map<SpanKey, List<Waiting>> waiting = new LinkedHashMap<>(1 << 12, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SpanKey, List<Waiting>> eldest) {
            return size() > WAITING;
        }
    };

    /**
     * Ids are stored and compared lower-case (queries lower-case what users type). The OTLP
     * decoder already emits lower-case hex, for which this returns the same string after one scan.
     */
    static String lower(String id) {
        return id == null ? "" : id.toLowerCase(Locale.ROOT);
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
        SpanKey[] keys = prepared.keys();
        SpanKey[] parentKeys = prepared.parentKeys();
        Map<SpanKey, String> inGroup = new HashMap<>(Math.max(16, n * 2));
        for (int i = 0; i < n; i++) {
            inGroup.put(keys[i], spans.get(i).service());
        }
        String[] parentServices = new String[n];
        Boolean[] entries = new Boolean[n];
        List<LateParent> late = new ArrayList<>();
        List<Waiting> notEntries = new ArrayList<>();
        boolean anyWaiting = !waiting.isEmpty();
        for (int i = 0; i < n; i++) {
            SpanRow s = spans.get(i);
            String parentService = null;
            if (parentKeys[i] != null) {
                parentService = inGroup.get(parentKeys[i]);
                if (parentService == null) {
                    parentService = recent.get(parentKeys[i]);
                }
            }
            parentServices[i] = parentService;
            entries[i] = entry(s, parentKeys[i] != null, parentService);
            List<Waiting> children = anyWaiting ? waiting.get(keys[i]) : null;
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
        SpanKey[] keys = decisions.keys();
        boolean anyWaiting = !waiting.isEmpty();
        for (int i = 0; i < keys.length; i++) {
            recent.put(keys[i], spans.get(i).service());
            if (anyWaiting) {
                waiting.remove(keys[i]);
            }
        }
        for (int i = 0; i < keys.length; i++) {
            SpanKey parentKey = decisions.parentKeys()[i];
            if (parentKey != null && decisions.parentService(i) == null) {
                SpanRow s = spans.get(i);
                remember(parentKey, new Waiting(decisions.traceId(i), decisions.spanId(i), s.service(),
                        s.startNanos(), s.durationNanos(), s.status().name(), isMonitor(s)));
            }
        }
    }

    private void remember(SpanKey parentKey, Waiting child) {
        waiting.computeIfAbsent(parentKey, k -> new ArrayList<>(1)).add(child);
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
                    recent.put(SpanKey.of(rs.getString(1), rs.getString(2)), rs.getString(3));
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
                    remember(SpanKey.of(rs.getString(1), rs.getString(3)), new Waiting(rs.getString(1), rs.getString(2),
                            rs.getString(4), rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getBoolean(8)));
                }
            }
        }
    }
}
