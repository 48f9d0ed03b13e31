package dev.plumb.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.StoreException;
import dev.plumb.analytics.telemetry.Exemplar;
import dev.plumb.analytics.telemetry.LogRow;
import dev.plumb.analytics.telemetry.MetricPoint;
import dev.plumb.analytics.telemetry.MetricType;
import dev.plumb.analytics.telemetry.SpanEvent;
import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanLink;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import dev.plumb.analytics.telemetry.Temporality;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store loads at open what its ingest log holds beyond what DuckDB has applied, exactly
 * once: records a dead process acknowledged but never loaded come back, and a second open
 * loads nothing twice.
 */
class LogReplayTest {
    private static final long T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(600).getEpochSecond()
            * 1_000_000_000L;

    @TempDir
    Path data;

    static TelemetryBatch batch(int n) {
        List<SpanRow> spans = new ArrayList<>();
        String traceId = String.format("%032x", 0xabc000L + n);
        for (int s = 0; s < 3; s++) {
            spans.add(new SpanRow(traceId, String.format("%016x", n * 10L + s + 1), s == 0 ? "" : String.format("%016x", n * 10L + 1),
                    s == 0 ? "frontend" : "orders", "op-" + s, s == 0 ? SpanKind.SERVER : SpanKind.INTERNAL,
                    T0 + n, T0 + n + 1_000_000L * (s + 1), s == 2 ? StatusCode.ERROR : StatusCode.UNSET, "",
                    Map.of("http.status_code", 500L, "ratio", 0.25, "ok", true, "tags", List.of("a", "b"), "user", "ü"),
                    Map.of("service.name", s == 0 ? "frontend" : "orders"), "scope",
                    List.of(new SpanEvent("exception", T0 + n, Map.of("exception.type", "IOException"))),
                    List.of(new SpanLink(String.format("%032x", 7), String.format("%016x", 7), Map.of()))));
        }
        LogRow log = new LogRow(T0 + n, T0 + n, "orders", 17, "ERROR", "replayed line " + n, traceId,
                String.format("%016x", n * 10L + 2), Map.of("k", "v"), Map.of("service.name", "orders"), "scope");
        MetricPoint point = new MetricPoint("orders", "monitor.duration", "", "s", MetricType.HISTOGRAM,
                Temporality.DELTA, false, T0, T0 + n, Map.of("outcome", "ok"), Map.of("service.name", "orders"),
                Double.NaN, 3, 0.6, 0.1, 0.3, List.of(0.1, 0.5), List.of(1L, 2L, 0L),
                List.of(new Exemplar(T0 + n, 0.3, traceId, String.format("%016x", n * 10L + 1), Map.of())));
        return new TelemetryBatch(spans, List.of(log), List.of(point));
    }

    private static long count(Store store, String sql) throws Exception {
        try (Connection c = store.openConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void encodesEveryFieldOfABatchAndDecodesItEqual() {
        TelemetryBatch original = batch(4);
        assertThat(BatchCodec.decode(BatchCodec.encode(original))).isEqualTo(original);
    }

    @Test
    void writesAResourceSharedByRowsOnceAndDecodesItToOneSharedMap() {
        Map<String, Object> resource = Map.of("service.name", "orders", "host.name", "h1");
        List<SpanRow> spans = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            spans.add(new SpanRow(String.format("%032x", 1), String.format("%016x", s + 1), "", "orders", "op",
                    SpanKind.SERVER, T0, T0 + 1, StatusCode.UNSET, "", Map.of(), resource, "", List.of(), List.of()));
        }
        TelemetryBatch shared = TelemetryBatch.ofSpans(spans);
        byte[] encoded = BatchCodec.encode(shared);
        TelemetryBatch decoded = BatchCodec.decode(encoded);

        assertThat(decoded).isEqualTo(shared);
        assertThat(decoded.spans().get(19).resource()).isSameAs(decoded.spans().get(0).resource());
        // 20 copies of the resource would take over 20 * 30 bytes; one copy and 19 references far less.
        assertThat(encoded.length).isLessThan(BatchCodec.encode(TelemetryBatch.ofSpans(spans.subList(0, 1))).length * 20 - 19 * 30);
    }

    @Test
    void loadsRecordsAcknowledgedButNeverLoadedAtOpenAndOnlyOnce() throws Exception {
        // What a process killed after its acknowledgements leaves: records in the log, none in DuckDB.
        try (IngestLog log = IngestLog.open(data.resolve(BatchWriter.LOG_DIRECTORY), 0, e -> { })) {
            for (int n = 0; n < 50; n++) {
                log.append(BatchCodec.encode(batch(n)));
            }
            log.force();
        }
        try (Store store = Store.open(data)) {
            assertThat(count(store, "SELECT count(*) FROM spans")).isEqualTo(150);
            assertThat(count(store, "SELECT count(*) FROM logs WHERE body LIKE 'replayed line %'")).isEqualTo(50);
            assertThat(count(store, "SELECT count(*) FROM metric_points")).isEqualTo(50);
            assertThat(count(store, "SELECT count(*) FROM span_events")).isEqualTo(150);
            assertThat(store.trace(String.format("%032x", 0xabc000L + 7))).hasValueSatisfying(
                    t -> assertThat(t.spans()).hasSize(1));
            // Replayed records were never queued: the queue is empty, not below zero.
            assertThat(store.stats().queueDepth()).isZero();
            store.write(batch(50));
            assertThat(store.stats().queueDepth()).isZero();
        }
        try (Store store = Store.open(data)) {
            assertThat(count(store, "SELECT count(*) FROM spans")).isEqualTo(153);
            assertThat(count(store, "SELECT count(*) FROM logs")).isEqualTo(51);
            assertThat(count(store, "SELECT count(DISTINCT span_id) FROM spans")).isEqualTo(153);
        }
    }

    @Test
    void refusesToOpenOnARecordThatIsNotABatchAndSaysWhichOne() throws Exception {
        long position;
        try (IngestLog log = IngestLog.open(data.resolve(BatchWriter.LOG_DIRECTORY), 0, e -> { })) {
            log.append(BatchCodec.encode(batch(0)));
            // Intact on disk (its CRC matches) but written by no BatchCodec of this build.
            position = log.append(new byte[] {9, 9, 9});
        }
        assertThatThrownBy(() -> Store.open(data)).isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot replay the ingest log")
                .hasMessageContaining("position " + position)
                .hasMessageContaining("unknown batch format 9");
        // Nothing was left locked: once the bad record is moved aside, the store opens.
        try (var files = Files.list(data.resolve(BatchWriter.LOG_DIRECTORY))) {
            for (Path p : files.toList()) {
                Files.move(p, data.resolve(p.getFileName() + ".aside"));
            }
        }
        try (Store store = Store.open(data)) {
            assertThat(count(store, "SELECT count(*) FROM spans")).isZero();
        }
    }

    @Test
    void loadsOnlyTheRecordsAfterThePositionDuckDbRecorded() throws Exception {
        try (Store store = Store.open(data)) {
            for (int n = 0; n < 10; n++) {
                store.write(batch(n));
            }
        }
        // The process then acknowledged two more and died before loading them.
        Path logDir = data.resolve(BatchWriter.LOG_DIRECTORY);
        long applied;
        try (Store store = Store.open(data); Connection c = store.openConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT position FROM ingest_log_applied")) {
            rs.next();
            applied = rs.getLong(1);
        }
        try (IngestLog log = IngestLog.open(logDir, applied, e -> { })) {
            log.append(BatchCodec.encode(batch(10)));
            log.append(BatchCodec.encode(batch(11)));
            log.force();
        }
        try (Store store = Store.open(data)) {
            assertThat(count(store, "SELECT count(*) FROM spans")).isEqualTo(36);
            assertThat(count(store, "SELECT count(DISTINCT trace_id) FROM spans")).isEqualTo(12);
        }
        try (var files = Files.list(logDir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".corrupt"))).isEmpty();
        }
    }
}
