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
 * Decides, as spans are written, whether each one is an <em>entry span</em> of its service
 * (column {@code spans.entry}), so that RED queries read one column instead of joining every
 * span to its parent:
 * <ul>
 *   <li>SERVER and CONSUMER spans are entries; other spans without {@code code.function.name}
 *       are not;</li>
 *   <li>a {@code @Monitor} span is an entry when it has no parent or its parent belongs to
 *       another service. The parent is looked for in the same transaction, then among the
 *       recently written spans. When it has not arrived yet, the span is stored with
 *       {@code entry = NULL} (counted as an entry, as its parent is absent) and remembered; if
 *       the parent later turns out to be of the same service, the span is updated to
 *       {@code FALSE} in the parent's transaction.</li>
 * </ul>
 * Memory is bounded: the {@value #RECENT} most recent spans and {@value #WAITING} waiting
 * spans; both are reloaded from the last {@value #RELOAD_MINUTES} minutes of data at open.
 * Used only by the writer thread.
 */
final class EntryResolver {
    static final int RECENT = 100_000;
    static final int WAITING = 50_000;
    static final int RELOAD_MINUTES = 15;

    /** A {@code @Monitor} span whose parent has not been seen. */
    private record Waiting(String traceId, String spanId, String service) {
    }

    /** What one transaction must write: the entry flag per span, and earlier spans to mark as not entries. */
    record Decisions(Map<SpanRow, Boolean> entries, List<String[]> notEntries) {
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

    /** Ids are stored lower-case; the key and the remembered ids follow. */
    private static String key(String traceId, String spanId) {
        return (traceId + spanId).toLowerCase(Locale.ROOT);
    }

    private static Waiting waitingOf(String traceId, String spanId, String service) {
        return new Waiting(traceId.toLowerCase(Locale.ROOT), spanId.toLowerCase(Locale.ROOT), service);
    }

    /** Decides for the spans of one transaction, without changing what it remembers (the transaction may fail). */
    Decisions decide(List<SpanRow> spans) {
        Map<String, String> inGroup = new HashMap<>();
        for (SpanRow s : spans) {
            inGroup.put(key(s.traceId(), s.spanId()), s.service());
        }
        Map<SpanRow, Boolean> entries = new IdentityHashMap<>();
        List<String[]> notEntries = new ArrayList<>();
        for (SpanRow s : spans) {
            entries.put(s, entry(s, inGroup));
            List<Waiting> children = waiting.get(key(s.traceId(), s.spanId()));
            if (children != null) {
                for (Waiting child : children) {
                    if (child.service().equals(s.service())) {
                        notEntries.add(new String[] {child.traceId(), child.spanId()});
                    }
                }
            }
        }
        return new Decisions(entries, notEntries);
    }

    private Boolean entry(SpanRow s, Map<String, String> inGroup) {
        if (s.kind() == SpanKind.SERVER || s.kind() == SpanKind.CONSUMER) {
            return Boolean.TRUE;
        }
        if (!s.attributes().containsKey("code.function.name")) {
            return Boolean.FALSE;
        }
        if (s.parentSpanId() == null || s.parentSpanId().isEmpty()) {
            return Boolean.TRUE;
        }
        String parentKey = key(s.traceId(), s.parentSpanId());
        String parentService = inGroup.getOrDefault(parentKey, recent.get(parentKey));
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
            if (decisions.entry(s) == null) {
                waiting.computeIfAbsent(key(s.traceId(), s.parentSpanId()), k -> new ArrayList<>(1))
                        .add(waitingOf(s.traceId(), s.spanId(), s.service()));
            }
        }
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
        try (PreparedStatement ps = connection.prepareStatement("SELECT trace_id, span_id, parent_span_id, service "
                + "FROM spans WHERE start_nanos >= ? AND entry IS NULL ORDER BY start_nanos LIMIT ?")) {
            ps.setLong(1, since);
            ps.setInt(2, WAITING);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    waiting.computeIfAbsent(key(rs.getString(1), rs.getString(3)), k -> new ArrayList<>(1))
                            .add(new Waiting(rs.getString(1), rs.getString(2), rs.getString(4)));
                }
            }
        }
    }
}
