package dev.plumb.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.analytics.telemetry.LogRow;
import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreIngestTest {
    @TempDir
    Path dataDir;

    /** A batch of {@code spans} one-span traces of service {@code svc}, numbered from {@code first}. */
    static TelemetryBatch spans(String svc, int first, int spans) {
        List<SpanRow> rows = new ArrayList<>();
        long t0 = CheckoutFixture.nanos(CheckoutFixture.T0);
        for (int i = first; i < first + spans; i++) {
            rows.add(CheckoutFixture.span(String.format("%032x", i), String.format("%016x", i), "", svc, "op",
                    SpanKind.SERVER, t0 + i, 1_000_000, StatusCode.UNSET, Map.of(), List.of()));
        }
        return TelemetryBatch.ofSpans(rows);
    }

    static long count(Store store, String sql) throws Exception {
        try (Connection c = store.openConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void keepsEverythingAcrossARestart() {
        try (Store store = Store.open(dataDir)) {
            CheckoutFixture.writeAll(store);
        }
        assertThat(dataDir.resolve("plumb.duckdb")).exists();

        try (Store reopened = Store.open(dataDir)) {
            assertThat(reopened.services(CheckoutFixture.window())).hasSize(4)
                    .filteredOn(s -> s.name().equals("payment")).singleElement()
                    .satisfies(s -> assertThat(s.requests()).isEqualTo(10));
            assertThat(reopened.trace(CheckoutFixture.traceId(3)).orElseThrow().logs()).hasSize(1);
            assertThat(reopened.logs("", CheckoutFixture.window(), 100)).hasSize(12);
        }
    }

    @Test
    void capsDuckDbMemoryAtTheConfiguredLimit() throws Exception {
        try (Store store = Store.open(dataDir, StoreOptions.defaults().withMemoryLimitMiB(256));
             var connection = store.openConnection();
             var statement = connection.createStatement();
             var result = statement.executeQuery("SELECT current_setting('memory_limit')")) {
            result.next();
            // DuckDB reports the limit in its own units: 256 MiB
            assertThat(result.getString(1)).isEqualTo("256.0 MiB");
        }
    }

    @Test
    void refusesBatchesWhenTheQueueIsFullAndWritesEveryAcceptedOne() throws Exception {
        StoreOptions small = StoreOptions.defaults().withQueue(100, 50, Duration.ZERO);
        int accepted = 0;
        int refused = 0;
        try (Store store = Store.open(dataDir, small)) {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (int b = 0; b < 2_000; b++) {
                futures.add(store.submit(spans("load", b * 10, 10)));
            }
            for (CompletableFuture<Void> f : futures) {
                try {
                    f.join();
                    accepted++;
                } catch (CompletionException e) {
                    assertThat(e.getCause()).isInstanceOf(StoreFullException.class)
                            .hasMessageContaining("of 100 records waiting");
                    assertThat(((StoreFullException) e.getCause()).retryAfter()).isPositive();
                    refused++;
                }
            }
            assertThat(refused).isPositive();
            assertThat(accepted).isPositive();
            // Acknowledged means in the ingest log; a query waits until the loader has caught up.
            assertThat(count(store, "SELECT count(*) FROM spans")).isEqualTo(accepted * 10L);
            assertThat(store.stats().refusedBatches()).isEqualTo(refused);
            assertThat(store.stats().spansWritten()).isEqualTo(accepted * 10L);
            assertThat(store.stats().queueDepth()).isZero();
        }
    }

    @Test
    void groupsConcurrentBatchesIntoFewerTransactions() throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try (Store store = Store.open(dataDir)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(senders.submit(() -> {
                    for (int b = 0; b < 50; b++) {
                        store.write(spans("svc" + thread, (thread * 50 + b) * 4, 4));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            StoreStats stats = store.stats();
            assertThat(stats.batchesWritten()).isEqualTo(400);
            assertThat(stats.spansWritten()).isEqualTo(1_600);
            assertThat(stats.transactions()).isLessThan(400);
            assertThat(stats.averageWriteLatency()).isPositive();
            assertThat(count(store, "SELECT count(DISTINCT trace_id) FROM spans")).isEqualTo(1_600);
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void writesEveryQueuedBatchOnClose() throws Exception {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        try (Store store = Store.open(dataDir)) {
            for (int b = 0; b < 100; b++) {
                futures.add(store.submit(spans("late", b * 5, 5)));
            }
        }
        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        try (Store store = Store.open(dataDir)) {
            assertThat(count(store, "SELECT count(*) FROM spans")).isEqualTo(500);
        }
    }

    @Test
    void failsABadBatchAloneWithoutWritingAnyOfItsRows() throws Exception {
        long t = CheckoutFixture.nanos(CheckoutFixture.T0);
        SpanRow broken = new SpanRow("0000000000000000000000000000beef", "000000000000beef", "", "bad", "op", null, t,
                t + 1, StatusCode.UNSET, "", Map.of(), Map.of(), "", List.of(), List.of());
        try (Store store = Store.open(dataDir)) {
            List<SpanRow> rows = new ArrayList<>(spans("bad", 0, 2).spans());
            rows.add(broken);
            CompletableFuture<Void> good1 = store.submit(spans("good", 100, 3));
            CompletableFuture<Void> bad = store.submit(TelemetryBatch.ofSpans(rows));
            CompletableFuture<Void> good2 = store.submit(spans("good", 200, 3));

            assertThatThrownBy(bad::join).hasCauseInstanceOf(StoreException.class)
                    .hasMessageContaining("cannot write a batch of 3 records");
            good1.join();
            good2.join();
            assertThat(count(store, "SELECT count(*) FROM spans WHERE service = 'bad'")).isZero();
            assertThat(count(store, "SELECT count(*) FROM spans WHERE service = 'good'")).isEqualTo(6);
            assertThat(store.stats().failedBatches()).isEqualTo(1);
            assertThat(store.stats().queueDepth()).isZero();
        }
    }

    @Test
    void refusesSpansWhoseIdsAreNotOtlpIdsBeforeAcknowledging() throws Exception {
        long t = CheckoutFixture.nanos(CheckoutFixture.T0);
        try (Store store = Store.open(dataDir)) {
            for (String[] ids : new String[][] {
                    {"trace-1", "000000000000beef", ""},                                 // not 32 digits
                    {"0000000000000000000000000000beeg", "000000000000beef", ""},       // not hex
                    {"0000000000000000000000000000bee\u0663", "000000000000beef", ""},  // an Arabic-Indic 3
                    {"0000000000000000000000000000beef", "beef", ""},                   // short span id
                    {"0000000000000000000000000000beef", "000000000000beef", "01"}}) {  // short parent
                SpanRow span = new SpanRow(ids[0], ids[1], ids[2], "bad", "op", SpanKind.SERVER, t, t + 1,
                        StatusCode.UNSET, "", Map.of(), Map.of(), "", List.of(), List.of());
                CompletableFuture<Void> refused = store.submit(TelemetryBatch.ofSpans(List.of(span)));
                assertThatThrownBy(refused::join).hasCauseInstanceOf(StoreException.class)
                        .hasMessageContaining("cannot write a batch of 1 records")
                        .hasMessageContaining(ids[0].length() == 32 && ids[1].length() == 16 && ids[2].length() != 2
                                ? "is not hexadecimal" : "ids must be 32 (trace) and 16 (span) hex digits");
            }
            // Upper-case hex is an id like any other, stored lower-case.
            SpanRow upper = new SpanRow("0000000000000000000000000000BEEF", "000000000000BEEF", "", "good", "op",
                    SpanKind.SERVER, t, t + 1, StatusCode.UNSET, "", Map.of(), Map.of(), "", List.of(), List.of());
            store.submit(TelemetryBatch.ofSpans(List.of(upper))).join();
            assertThat(count(store, "SELECT count(*) FROM spans WHERE service = 'bad'")).isZero();
            assertThat(count(store, "SELECT count(*) FROM spans WHERE trace_id = '0000000000000000000000000000beef'"
                    + " AND span_id = '000000000000beef' AND parent_span_id = ''")).isEqualTo(1);
            assertThat(store.stats().failedBatches()).isEqualTo(5);
        }
    }

    @Test
    void checkpointsDuckDbOnceTheLoaderFallsIdleAfterATransactionsWorth() throws Exception {
        Path wal = dataDir.resolve(Store.DATABASE_FILE + ".wal");
        // A trickle (fewer records than one transaction takes) leaves the commit in DuckDB's log.
        try (Store store = Store.open(dataDir)) {
            store.write(spans("trickle", 0, 50));
            Thread.sleep(1_500);
            assertThat(Files.exists(wal) && Files.size(wal) > 0).as("WAL after a trickle").isTrue();
        }
        // With transactions of 100 records, 150 are enough: once idle, the loader checkpoints,
        // far below the 128 MiB threshold.
        StoreOptions small = StoreOptions.defaults().withQueue(10_000, 100, Duration.ofMillis(5));
        try (Store store = Store.open(dataDir, small)) {
            store.write(spans("idle", 0, 150));
            assertThat(Files.exists(wal) && Files.size(wal) > 0).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Files.exists(wal) && Files.size(wal) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Files.exists(wal) && Files.size(wal) > 0).as("WAL left after the loader fell idle").isFalse();
            assertThat(count(store, "SELECT count(*) FROM spans WHERE service = 'idle'")).isEqualTo(150);
        }
    }

    @Test
    void aTraceByIdHoldsOnlyItsOwnSpansWhenAnotherTraceSharesItsKey() throws Exception {
        long t = CheckoutFixture.nanos(CheckoutFixture.T0);
        // trace_key is the first 15 hex digits: these two ids share it and differ after.
        String a = "0af7651916cd43dd8448eb211c80319c";
        String b = "0af7651916cd43dd0000000000000001";
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofSpans(List.of(
                    new SpanRow(a, "00000000000000a1", "", "svc", "of-a", SpanKind.SERVER, t, t + 1, StatusCode.UNSET, "",
                            Map.of(), Map.of(), "", List.of(), List.of()),
                    new SpanRow(b, "00000000000000b1", "", "svc", "of-b", SpanKind.SERVER, t, t + 1, StatusCode.UNSET, "",
                            Map.of(), Map.of(), "", List.of(), List.of()))));
            assertThat(store.trace(a).orElseThrow().spans()).extracting(n -> n.name()).containsExactly("of-a");
            assertThat(store.trace(b.toUpperCase()).orElseThrow().spans()).extracting(n -> n.name()).containsExactly("of-b");
            assertThat(store.trace("0af7651916cd43dd8448eb211c80319d")).isEmpty();
            assertThat(store.trace("not-a-trace-id")).isEmpty();
        }
    }

    @Test
    void aStatementDuckDbRefusedOnceDoesNotStopLaterLoads() throws Exception {
        try (Store store = Store.open(dataDir);
             Connection other = store.openConnection();
             Statement s = other.createStatement()) {
            store.write(spans("first", 0, 5));
            // Another connection holds the row the loader updates in each transaction: the
            // loader's update conflicts, and DuckDB's driver closes a statement that failed.
            s.execute("BEGIN TRANSACTION");
            s.execute("UPDATE ingest_log_applied SET position = position");
            store.submit(spans("conflicting", 50, 5)).join();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.stats().failedBatches() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(store.stats().failedBatches()).isEqualTo(1);
            s.execute("ROLLBACK");
            // The loader made new statements: the next batch loads.
            store.write(spans("second", 100, 5));
            assertThat(count(store, "SELECT count(*) FROM spans WHERE service = 'second'")).isEqualTo(5);
            assertThat(store.stats().failedBatches()).isEqualTo(1);
        }
    }

    @Test
    void refusesWritesAfterClose() {
        Store store = Store.open(dataDir);
        store.close();

        assertThatThrownBy(() -> store.write(spans("x", 0, 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void acknowledgesAnEmptyBatchAtOnce() {
        try (Store store = Store.open(dataDir)) {
            assertThat(store.submit(new TelemetryBatch(List.of(), List.of(), List.of()))).isCompleted();
        }
    }

    @Test
    void storesTextThatNeedsEscapingUnchanged() {
        String body = "quote \" backslash \\ newline \n tab \t unicode é ✓ nul-ish \u0001";
        LogRow row = CheckoutFixture.log(CheckoutFixture.nanos(CheckoutFixture.T0), "odd", 9, "INFO", body, "", "",
                Map.of("k\"ey", body, "list", List.of(1L, "two", 3.5, true), "path/with~tilde", "v"));
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofLogs(List.of(row)));

            assertThat(store.logs("service:odd", CheckoutFixture.window(), 10)).singleElement().satisfies(v -> {
                assertThat(v.body()).isEqualTo(body);
                assertThat(v.attributes()).containsEntry("k\"ey", body)
                        .containsEntry("list", List.of(1L, "two", 3.5, true));
            });
            assertThat(store.logs("path/with~tilde:v", CheckoutFixture.window(), 10)).hasSize(1);
        }
    }

    @Test
    void storesNamesOutsideAsciiAsTheyCameWhereTheLoaderReusesTheirBytes() {
        long t = CheckoutFixture.nanos(CheckoutFixture.T0);
        String trace = "0af7651916cd43dd8448eb211c80319c";
        Map<String, Object> resource = Map.of("service.name", "paiement-ü", "région", "île-de-France ✓");
        List<SpanRow> spans = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            spans.add(new SpanRow(trace, String.format("%016x", i), "",
                    "paiement-ü", "GET /bücher/日本 " + (i % 2), SpanKind.SERVER, t + i, t + i + 1, StatusCode.UNSET, "",
                    Map.of(), resource, "scope-ß", List.of(), List.of()));
        }
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofSpans(spans));
            assertThat(store.trace(trace).orElseThrow().spans())
                    .extracting(n -> n.service() + " " + n.name())
                    .containsExactlyInAnyOrder("paiement-ü GET /bücher/日本 1", "paiement-ü GET /bücher/日本 0",
                            "paiement-ü GET /bücher/日本 1");
        }
    }

    @Test
    void explainsADataDirThatCannotBeCreated() throws Exception {
        Path file = Files.writeString(dataDir.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> Store.open(file.resolve("data")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot open data dir " + file.resolve("data"))
                .hasMessageContaining("--data-dir");
    }
}
