package dev.plumb.bench.ingest;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.StoreFullException;
import dev.plumb.analytics.StoreOptions;
import dev.plumb.analytics.TimeRange;
import dev.plumb.analytics.telemetry.LogRow;
import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import dev.plumb.analytics.traces.SpanNode;
import dev.plumb.analytics.traces.TraceSearch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * Query timings of the store as it grows: writes {@link TraceShape} traces (10 spans each) and
 * one log record per span straight into a {@link Store}, in bulk, spread over one hour; at each
 * checkpoint (1 M and 10 M spans by default) times the queries the API answers, each over the
 * whole hour. Usage: {@code QueryBench [--checkpoints=1000000,10000000] [--runs=7]
 * [--data-dir=bench/ingest/target/query-data]}; the data dir is emptied first.
 */
public final class QueryBench {
    private static final int BATCH = 20_000;
    private static final int IN_FLIGHT = 8;
    private static final String[] WORDS = {"cache", "hit", "miss", "retry", "order", "cart", "stock", "price",
        "coupon", "session", "token", "queue"};

    private final Store store;
    private final TimeRange hour;
    private final Random random = new Random(7);
    private final Deque<CompletableFuture<Void>> pending = new ArrayDeque<>();
    private final List<String> traceIds = new ArrayList<>();
    private long spansWritten;

    private QueryBench(Store store, TimeRange hour) {
        this.store = store;
        this.hour = hour;
    }

    public static void main(String[] args) {
        List<Long> checkpoints = List.of(1_000_000L, 10_000_000L);
        int runs = 7;
        Path dir = Path.of("bench/ingest/target/query-data");
        String usage = "usage: QueryBench [--checkpoints=1000000,10000000] [--runs=7] [--data-dir=DIR]";
        for (String arg : args) {
            String value = arg.substring(arg.indexOf('=') + 1);
            try {
                if (arg.startsWith("--checkpoints=")) {
                    checkpoints = Arrays.stream(value.split(",")).map(String::trim).map(Long::parseLong).sorted().toList();
                } else if (arg.startsWith("--runs=")) {
                    runs = Integer.parseInt(value);
                } else if (arg.startsWith("--data-dir=")) {
                    dir = Path.of(value);
                } else {
                    System.err.println("query bench: unknown argument '" + arg + "'; " + usage);
                    System.exit(2);
                }
            } catch (NumberFormatException e) {
                System.err.println("query bench: " + arg + " takes whole numbers; " + usage);
                System.exit(2);
            }
        }
        if (runs < 1 || checkpoints.isEmpty() || checkpoints.get(0) < TraceShape.SPANS_PER_TRACE) {
            System.err.println("query bench: --runs must be at least 1 and every checkpoint at least "
                    + TraceShape.SPANS_PER_TRACE + " spans; " + usage);
            System.exit(2);
        }
        deleteTree(dir);
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        TimeRange hour = new TimeRange(end.minus(Duration.ofHours(1)), end);
        System.out.printf("# Store queries over one hour of data, %d cores, Java %s, median of %d runs after one warm-up%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), runs);
        // Bulk load: larger transactions than live ingest, and room for the batches in flight.
        StoreOptions bulk = StoreOptions.defaults().withQueue(4 * IN_FLIGHT * BATCH, 5 * BATCH, Duration.ofMillis(20));
        try (Store store = Store.open(dir, bulk)) {
            QueryBench bench = new QueryBench(store, hour);
            for (long checkpoint : checkpoints) {
                bench.fill(checkpoint);
                System.out.printf("%n## %,d spans and %,d log records (database %,d MB)%n%n", bench.spansWritten,
                        bench.spansWritten, Files.size(store.databaseFile()) / 1_000_000);
                bench.timeQueries(runs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes traces (and a log per span) spread over the hour until {@code target} spans are stored. */
    private void fill(long target) {
        long traces = (target - spansWritten) / TraceShape.SPANS_PER_TRACE;
        long from = nanos(hour.from());
        long stepNanos = Duration.ofHours(1).toNanos() / Math.max(1, traces);
        long t0 = System.nanoTime();
        List<SpanRow> spans = new ArrayList<>(BATCH);
        List<LogRow> logs = new ArrayList<>(BATCH);
        for (long t = 0; t < traces; t++) {
            long startMicros = (from + t * stepNanos + random.nextInt(1_000_000)) / 1_000;
            for (BenchSpan s : TraceShape.traces(1, startMicros, 10, random)) {
                spans.add(row(s, random.nextInt(10) == 0));
                logs.add(log(s, spansWritten));
                spansWritten++;
            }
            if (t % 997 == 0) {
                traceIds.add(spans.get(spans.size() - 1).traceId());
            }
            if (spans.size() >= BATCH) {
                submit(spans, logs);
                spans = new ArrayList<>(BATCH);
                logs = new ArrayList<>(BATCH);
            }
        }
        submit(spans, logs);
        while (!pending.isEmpty()) {
            pending.removeFirst().join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%nwrote %,d spans and as many log records in %.0f s (%,.0f records/s through Store.submit)%n",
                traces * TraceShape.SPANS_PER_TRACE, secs, 2.0 * traces * TraceShape.SPANS_PER_TRACE / secs);
    }

    private void submit(List<SpanRow> spans, List<LogRow> logs) {
        TelemetryBatch batch = new TelemetryBatch(spans, logs, List.of());
        CompletableFuture<Void> accepted = store.submit(batch);
        // A full queue refuses at once: wait for the loader and offer the same batch again, as
        // an exporter does after Retry-After (sooner: this is a bulk load on the same machine).
        while (refusedAsFull(accepted)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the store's queue was full", e);
            }
            accepted = store.submit(batch);
        }
        pending.addLast(accepted);
        while (pending.size() > IN_FLIGHT) {
            pending.removeFirst().join();
        }
    }

    private static boolean refusedAsFull(CompletableFuture<Void> future) {
        if (!future.isCompletedExceptionally()) {
            return false;
        }
        try {
            future.join();
            return false;
        } catch (CompletionException e) {
            if (e.getCause() instanceof StoreFullException) {
                return true;
            }
            throw e;
        }
    }

    private void timeQueries(int runs) {
        System.out.println("| query | median ms | best ms | rows |");
        System.out.println("| --- | ---: | ---: | ---: |");
        time(runs, "services (RED of every service)", () -> store.services(hour).size());
        time(runs, "RED of one service, step 1m", () -> store.red("payment", hour, Duration.ofMinutes(1)).size());
        time(runs, "operations of one service (RED per operation)", () -> store.operations("payment", hour).size());
        String operation = store.operations("payment", hour).stream().findFirst().orElseThrow().operation();
        time(runs, "RED of one operation, step 1m", () -> store.red("payment", operation, hour, Duration.ofMinutes(1)).size());
        time(runs, "logs `service:payment AND status:error` limit 100",
                () -> store.logs("service:payment AND status:error", hour, 100).size());
        time(runs, "logs free text `declined` limit 100", () -> store.logs("declined", hour, 100).size());
        time(runs, "logs rare free text `bank-7 timeout` limit 100", () -> store.logs("bank-7 timeout", hour, 100).size());
        time(runs, "logs `http.status_code>=500 AND duration>900ms` limit 100",
                () -> store.logs("http.status_code>=500 AND duration>900ms", hour, 100).size());
        Random pick = new Random(3);
        time(runs, "trace by id (10 spans, with its logs)",
                () -> nodes(store.trace(traceIds.get(pick.nextInt(traceIds.size()))).orElseThrow().spans()));
        time(runs, "trace search service=payment `status:error` limit 20",
                () -> store.traces(new TraceSearch(hour, "payment", "status:error", 0, 20)).size());
        time(runs, "service map", () -> store.serviceMap(hour).size());
    }

    private static int nodes(List<SpanNode> spans) {
        return spans.stream().mapToInt(s -> 1 + nodes(s.children())).sum();
    }

    private static void time(int runs, String what, IntSupplier query) {
        query.getAsInt(); // warm-up: plans, file pages
        long[] nanos = new long[runs];
        int rows = 0;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            rows = query.getAsInt();
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        System.out.printf("| %s | %.1f | %.1f | %d |%n", what, nanos[runs / 2] / 1e6, nanos[0] / 1e6, rows);
    }

    private static SpanRow row(BenchSpan s, boolean slowDb) {
        long start = s.startMicros() * 1_000;
        long duration = s.durationMicros() * 1_000 * (slowDb && s.kind() == BenchSpan.Kind.CLIENT ? 3 : 1);
        Map<String, Object> attributes = Map.copyOf(s.tags());
        return new SpanRow(s.traceId(), s.id(), s.parentId(), s.service(), s.name(), kind(s.kind()), start,
                start + duration, s.error() ? StatusCode.ERROR : StatusCode.UNSET, s.error() ? "card declined" : "",
                attributes, Map.of("service.name", s.service()), "plumb-bench", List.of(), List.of());
    }

    /** One record per span: an error for a failed span, otherwise an info line of a few words. */
    private LogRow log(BenchSpan s, long n) {
        long at = s.startMicros() * 1_000 + 50_000;
        String body;
        if (s.error()) {
            body = s.name() + " failed: card declined by bank-" + random.nextInt(10)
                    + (random.nextInt(50) == 0 ? " after timeout" : "");
        } else {
            body = s.name() + " " + WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)]
                    + " #" + n + " in " + random.nextInt(300) + " ms";
        }
        return new LogRow(at, at, s.service(), s.error() ? 17 : 9, s.error() ? "ERROR" : "INFO", body, s.traceId(),
                s.id(), Map.of("http.status_code", s.error() ? 500L : 200L, "duration", (double) random.nextInt(1000)),
                Map.of("service.name", s.service()), "plumb-bench");
    }

    private static SpanKind kind(BenchSpan.Kind kind) {
        return switch (kind) {
            case INTERNAL -> SpanKind.INTERNAL;
            case SERVER -> SpanKind.SERVER;
            case CLIENT -> SpanKind.CLIENT;
        };
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }
}
