package dev.plumb.analytics.ingest;

import dev.plumb.analytics.schema.AttributeJson;
import dev.plumb.analytics.schema.TraceKey;
import dev.plumb.analytics.telemetry.Exemplar;
import dev.plumb.analytics.telemetry.LogRow;
import dev.plumb.analytics.telemetry.MetricPoint;
import dev.plumb.analytics.telemetry.SpanEvent;
import dev.plumb.analytics.telemetry.SpanLink;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Appends the rows of batches to the tables through DuckDB's Appender, in the column order of
 * {@code schema.sql}. The caller owns the transaction: appenders are flushed by {@link #close()}
 * and become visible (and durable) only when the connection commits.
 */
final class TableAppenders implements AutoCloseable {
    private final DuckDBConnection connection;
    private DuckDBAppender spans;
    private DuckDBAppender events;
    private DuckDBAppender links;
    private DuckDBAppender logs;
    private DuckDBAppender metrics;
    private DuckDBAppender exemplars;
    private DuckDBAppender lateParents;
    private long ingestSeq;
    /** The last resource map and its JSON: rows of one resource share the map instance, so it is encoded once. */
    private Map<String, Object> lastResource;
    private String lastResourceJson;
    /** The position of the next span in the transaction's span list, which {@link ParentResolver.Decisions} follows. */
    private int spanIndex;

    TableAppenders(DuckDBConnection connection) {
        this.connection = connection;
    }

    /**
     * The UTF-8 bytes of strings that rows repeat (service, span name, scope, resource JSON),
     * by string instance: the decoder hands out one instance per repeated string, and the
     * Appender would otherwise encode it again for every row. Per thread, so per loader.
     */
    private static final ThreadLocal<Utf8Cache> UTF8 = ThreadLocal.withInitial(Utf8Cache::new);
    private final Utf8Cache utf8 = UTF8.get();

    private static final class Utf8Cache {
        private final String[] strings = new String[1024];
        private final byte[][] bytes = new byte[1024][];

        byte[] of(String s) {
            int i = System.identityHashCode(s) & (strings.length - 1);
            if (strings[i] != s) {
                strings[i] = s;
                bytes[i] = s.getBytes(StandardCharsets.UTF_8);
            }
            return bytes[i];
        }
    }

    void append(TelemetryBatch batch, ParentResolver.Decisions decisions) throws SQLException {
        for (SpanRow span : batch.spans()) {
            appendSpan(span, decisions);
        }
        for (LogRow log : batch.logs()) {
            appendLog(log);
        }
        for (MetricPoint point : batch.metrics()) {
            appendMetric(point);
        }
    }

    private void appendSpan(SpanRow s, ParentResolver.Decisions decisions) throws SQLException {
        if (spans == null) {
            spans = connection.createAppender("main", "span_rows");
        }
        int i = spanIndex++;
        // Ids, keys and attribute JSON as the submitting thread prepared them (PreparedSpans).
        PreparedSpans prepared = decisions.prepared();
        String traceId = decisions.traceId(i);
        String spanId = decisions.spanId(i);
        long traceKey = prepared.traceKeys()[i];
        // Integers and NULLs where span_rows can take them: see schema.sql for why.
        spans.beginRow()
                .appendHugeInt(prepared.traceLow()[i], prepared.traceHigh()[i])
                .append(prepared.spanBits()[i]).append(prepared.parentBits()[i])
                .append(utf8.of(text(s.service()))).append(utf8.of(text(s.name()))).append((byte) s.kind().ordinal())
                .append(s.startNanos()).append(s.endNanos()).append(s.durationNanos())
                .append((byte) s.status().ordinal()).append(emptyAsNull(s.statusMessage()))
                .append(prepared.codeFunctions()[i])
                .append(prepared.attributes()[i]).append(utf8.of(resourceJson(s.resource())))
                .append(utf8.of(text(s.scopeName())))
                .append(decisions.entry(i)).append(decisions.parentService(i)).append(traceKey)
                .endRow();
        for (SpanEvent e : s.events()) {
            if (events == null) {
                events = connection.createAppender("main", "span_events");
            }
            events.beginRow().append(traceId).append(spanId).append(e.timeNanos())
                    .append(text(e.name())).append(AttributeJson.encode(e.attributes()))
                    .append(traceKey).endRow();
        }
        for (SpanLink l : s.links()) {
            if (links == null) {
                links = connection.createAppender("main", "span_links");
            }
            links.beginRow().append(traceId).append(spanId).append(s.startNanos())
                    .append(hex(l.traceId())).append(hex(l.spanId())).append(AttributeJson.encode(l.attributes()))
                    .endRow();
        }
    }

    /** Children whose parent arrived in this transaction, after them. */
    void appendLateParents(List<ParentResolver.LateParent> rows) throws SQLException {
        for (ParentResolver.LateParent row : rows) {
            if (lateParents == null) {
                lateParents = connection.createAppender("main", "late_parents");
            }
            ParentResolver.Waiting c = row.child();
            lateParents.beginRow().append(c.traceId()).append(c.spanId()).append(c.startNanos())
                    .append(text(c.service())).append(text(row.parentService())).append(c.durationNanos())
                    .append(c.status()).endRow();
        }
    }

    private void appendLog(LogRow l) throws SQLException {
        if (logs == null) {
            logs = connection.createAppender("main", "logs");
        }
        long time = l.timeNanos() != 0 ? l.timeNanos() : l.observedNanos();
        String traceId = hex(l.traceId());
        logs.beginRow().append(time).append(l.observedNanos()).append(text(l.service()))
                .append(l.severityNumber()).append(text(l.severityText())).append(text(l.body()))
                .append(traceId).append(hex(l.spanId()))
                .append(AttributeJson.encode(l.attributes())).append(resourceJson(l.resource()))
                .append(text(l.scopeName())).append(TraceKey.of(traceId))
                .endRow();
    }

    private void appendMetric(MetricPoint p) throws SQLException {
        if (metrics == null) {
            ingestSeq = nextIngestSeq();
            metrics = connection.createAppender("main", "metric_points");
        }
        metrics.beginRow().append(text(p.service())).append(text(p.name())).append(text(p.description()))
                .append(text(p.unit())).append(p.type().name()).append(p.temporality().name()).append(p.monotonic())
                .append(p.startNanos()).append(p.timeNanos());
        number(metrics, p.value());
        metrics.append(p.count());
        number(metrics, p.sum());
        number(metrics, p.min());
        number(metrics, p.max());
        metrics.append(doubles(p.bounds())).append(longs(p.bucketCounts()))
                .append(AttributeJson.encode(p.attributes())).append(resourceJson(p.resource()))
                .append(ingestSeq)
                .endRow();
        for (Exemplar x : p.exemplars()) {
            if (exemplars == null) {
                exemplars = connection.createAppender("main", "metric_exemplars");
            }
            exemplars.beginRow().append(text(p.service())).append(text(p.name())).append(x.timeNanos())
                    .append(x.value()).append(hex(x.traceId())).append(hex(x.spanId()))
                    .append(AttributeJson.encode(x.attributes())).endRow();
        }
    }

    /**
     * One number per transaction: the single writer commits in the order it draws them, so a
     * reader that has seen number n has seen every point of a transaction numbered n or less.
     */
    private long nextIngestSeq() throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT nextval('metric_points_ingest')")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** NaN marks "not used" in {@link MetricPoint}; SQL says that with NULL so aggregates skip it. */
    private static void number(DuckDBAppender appender, double value) throws SQLException {
        if (Double.isNaN(value)) {
            appender.append((Double) null);
        } else {
            appender.append(value);
        }
    }

    private static double[] doubles(List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static long[] longs(List<Long> values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private String resourceJson(Map<String, Object> resource) {
        if (resource != lastResource) {
            lastResource = resource;
            lastResourceJson = AttributeJson.encode(resource);
        }
        return lastResourceJson;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static String emptyAsNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Ids are compared as lower-case hex everywhere (queries lower-case what users type). */
    private static String hex(String id) {
        return ParentResolver.lower(id);
    }

    /** Flushes every appender into the current transaction. */
    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (DuckDBAppender appender : new DuckDBAppender[] {spans, events, links, logs, metrics, exemplars, lateParents}) {
            if (appender == null) {
                continue;
            }
            try {
                appender.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
