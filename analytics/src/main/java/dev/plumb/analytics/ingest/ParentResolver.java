package dev.plumb.analytics.ingest;

import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
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

    /** What one transaction writes besides its rows. */
    record Decisions(Map<SpanRow, String> parentServices, Map<SpanRow, Boolean> entries,
                     List<LateParent> lateParents, List<Waiting> notEntries) {
        String parentService(SpanRow span) {
            return parentServices.get(span);
        }

        Boolean entry(SpanRow span) {
            return entries.get(span);
        }
    }

    private final Map<String, String> recent = new LinkedHashMap<>(1 << 16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > RECENT;
        }
    };
    private final Map<String, List<Waiting>> waiting = new LinkedHashMap<>(1 << 12, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<Waiting>> eldest) {
            return size() > WAITING;
        }
    };

    /** Ids are stored lower-case; the keys follow. */
    private static String key(String traceId, String spanId) {
        return (traceId + spanId).toLowerCase(Locale.ROOT);
    }

    private static boolean hasParent(SpanRow s) {
        return s.parentSpanId() != null && !s.parentSpanId().isEmpty();
    }

    private static boolean isMonitor(SpanRow s) {
        return s.attributes().containsKey("code.function.name");
    }

    /** Decides for the spans of one transaction, without changing what it remembers (the transaction may fail). */
    Decisions decide(List<SpanRow> spans) {
        Map<String, String> inGroup = new HashMap<>();
        for (SpanRow s : spans) {
            inGroup.put(key(s.traceId(), s.spanId()), s.service());
        }
        Map<SpanRow, String> parentServices = new IdentityHashMap<>();
        Map<SpanRow, Boolean> entries = new IdentityHashMap<>();
        List<LateParent> late = new ArrayList<>();
        List<Waiting> notEntries = new ArrayList<>();
        for (SpanRow s : spans) {
            String parentService = null;
            if (hasParent(s)) {
                String parentKey = key(s.traceId(), s.parentSpanId());
                parentService = inGroup.get(parentKey);
                if (parentService == null) {
                    parentService = recent.get(parentKey);
                }
            }
            parentServices.put(s, parentService);
            entries.put(s, entry(s, parentService));
            for (Waiting child : waiting.getOrDefault(key(s.traceId(), s.spanId()), List.of())) {
                late.add(new LateParent(child, s.service()));
                if (child.monitor() && child.service().equals(s.service())) {
                    notEntries.add(child);
                }
            }
        }
        return new Decisions(parentServices, entries, late, notEntries);
    }

    private static Boolean entry(SpanRow s, String parentService) {
        if (s.kind() == SpanKind.SERVER || s.kind() == SpanKind.CONSUMER) {
            return Boolean.TRUE;
        }
        if (!isMonitor(s)) {
            return Boolean.FALSE;
        }
        if (!hasParent(s)) {
            return Boolean.TRUE;
        }
        return parentService == null ? null : !parentService.equals(s.service());
    }

    /** Remembers a committed transaction's spans. */
    void committed(List<SpanRow> spans, Decisions decisions) {
        for (SpanRow s : spans) {
            String key = key(s.traceId(), s.spanId());
            recent.put(key, s.service());
            waiting.remove(key);
        }
        for (SpanRow s : spans) {
            if (hasParent(s) && decisions.parentService(s) == null) {
                remember(key(s.traceId(), s.parentSpanId()), new Waiting(s.traceId().toLowerCase(Locale.ROOT),
                        s.spanId().toLowerCase(Locale.ROOT), s.service(), s.startNanos(), s.durationNanos(),
                        s.status().name(), isMonitor(s)));
            }
        }
    }

    private void remember(String parentKey, Waiting child) {
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
                    recent.put(key(rs.getString(1), rs.getString(2)), rs.getString(3));
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
                    remember(key(rs.getString(1), rs.getString(3)), new Waiting(rs.getString(1), rs.getString(2),
                            rs.getString(4), rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getBoolean(8)));
                }
            }
        }
    }
}
