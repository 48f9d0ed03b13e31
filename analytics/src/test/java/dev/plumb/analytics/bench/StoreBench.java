package dev.plumb.analytics.bench;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.TimeRange;
import dev.plumb.analytics.telemetry.LogRow;
import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import dev.plumb.analytics.traces.TraceSearch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Measures ingest and query times of the store over generated data; not a test.
 * Usage: {@code java -cp ... dev.plumb.analytics.bench.StoreBench [traces] [logs] [dataDir]}
 * with 5 spans per trace (default 200,000 traces = 1 M spans, 1 M logs, a temp dir).
 */
public final class StoreBench {
    private static final String[] SERVICES = {"frontend", "payment", "cart", "inventory", "shipping", "email",
        "auth", "search", "recommend", "ads"};

    private StoreBench() {
    }

    public static void main(String[] args) throws Exception {
        int traces = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int logs = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("plumb-bench");
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant start = end.minus(Duration.ofHours(1));
        TimeRange hour = new TimeRange(start, end);
        Random random = new Random(42);
        String sampleTrace = null;
        try (Store store = Store.open(dir)) {
            long t0 = System.nanoTime();
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            List<SpanRow> spans = new ArrayList<>();
            for (int i = 0; i < traces; i++) {
                long at = nanos(start) + (long) i * (Duration.ofHours(1).toNanos() / traces);
                String trace = String.format("%016x%016x", random.nextLong(), random.nextLong());
                if (i == traces / 2) {
                    sampleTrace = trace;
                }
                String from = SERVICES[random.nextInt(SERVICES.length)];
                String to = SERVICES[random.nextInt(SERVICES.length)];
                boolean fails = random.nextInt(100) < 3;
                long payMs = 5 + random.nextInt(200);
                String root = String.format("%016x", random.nextLong());
                String mon = String.format("%016x", random.nextLong());
                String client = String.format("%016x", random.nextLong());
                String server = String.format("%016x", random.nextLong());
                StatusCode st = fails ? StatusCode.ERROR : StatusCode.UNSET;
                spans.add(span(trace, root, "", from, "GET /api", SpanKind.SERVER, at, ms(payMs + 20), StatusCode.UNSET,
                        Map.of("http.response.status_code", 200L)));
                spans.add(span(trace, mon, root, from, "Api.handle", SpanKind.INTERNAL, at + ms(1), ms(payMs + 18),
                        StatusCode.UNSET, Map.of("code.function.name", "shop.Api.handle")));
                spans.add(span(trace, client, mon, from, "POST /call", SpanKind.CLIENT, at + ms(2), ms(payMs + 2), st,
                        Map.of()));
                spans.add(span(trace, server, client, to, "POST /call", SpanKind.SERVER, at + ms(3), ms(payMs), st,
                        Map.of("http.response.status_code", fails ? 500L : 200L)));
                spans.add(span(trace, String.format("%016x", random.nextLong()), server, to, "Worker.run",
                        SpanKind.INTERNAL, at + ms(4), ms(payMs - 2), st, Map.of("code.function.name", "shop.Worker.run")));
                if (spans.size() >= 5_000) {
                    pending.add(store.submit(TelemetryBatch.ofSpans(spans)));
                    spans = new ArrayList<>();
                    drain(pending, 20);
                }
            }
            pending.add(store.submit(TelemetryBatch.ofSpans(spans)));
            drain(pending, 0);
            double spanSecs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("ingest: %,d spans in %.1f s = %,.0f spans/s%n", traces * 5L, spanSecs, traces * 5 / spanSecs);

            t0 = System.nanoTime();
            List<LogRow> rows = new ArrayList<>();
            for (int i = 0; i < logs; i++) {
                long at = nanos(start) + (long) i * (Duration.ofHours(1).toNanos() / logs);
                String svc = SERVICES[random.nextInt(SERVICES.length)];
                boolean error = random.nextInt(100) < 2;
                rows.add(new LogRow(at, at, svc, error ? 17 : 9, error ? "ERROR" : "INFO",
                        error ? "Worker.run failed: connection refused to db-" + random.nextInt(10)
                                : "handled request " + i + " in " + random.nextInt(300) + " ms",
                        String.format("%016x%016x", random.nextLong(), random.nextLong()),
                        String.format("%016x", random.nextLong()),
                        Map.of("http.status_code", error ? 500L : 200L, "duration", (double) random.nextInt(1000)),
                        Map.of("service.name", svc), "bench"));
                if (rows.size() >= 5_000) {
                    pending.add(store.submit(TelemetryBatch.ofLogs(rows)));
                    rows = new ArrayList<>();
                    drain(pending, 20);
                }
            }
            pending.add(store.submit(TelemetryBatch.ofLogs(rows)));
            drain(pending, 0);
            double logSecs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("ingest: %,d logs in %.1f s = %,.0f logs/s%n", logs, logSecs, logs / logSecs);
            System.out.printf("database: %,d MB%n", Files.size(store.databaseFile()) / 1_000_000);

            String trace = sampleTrace;
            time("services() over 1 h", () -> store.services(hour).size());
            time("red(payment, 1 h, step 1m)", () -> store.red("payment", hour, Duration.ofMinutes(1)).size());
            time("logs 'service:payment AND status:error' limit 100", () -> store.logs("service:payment AND status:error", hour, 100).size());
            time("logs 'refused db-7' (free text) limit 100", () -> store.logs("refused db-7", hour, 100).size());
            time("logs 'http.status_code>=500 AND duration>900ms' limit 100", () -> store.logs("http.status_code>=500 AND duration>900ms", hour, 100).size());
            time("trace(id) with logs", () -> store.trace(trace).orElseThrow().spans().size());
            time("traces(service=payment, status:error, limit 20)", () -> store.traces(new TraceSearch(hour, "payment", "status:error", 0, 20)).size());
            time("serviceMap() over 1 h", () -> store.serviceMap(hour).size());
        }
    }

    private static void drain(List<CompletableFuture<Void>> pending, int keep) {
        while (pending.size() > keep) {
            pending.remove(0).join();
        }
    }

    private static void time(String what, Supplier<Integer> query) {
        query.get(); // warm up: plan caches, file pages
        long best = Long.MAX_VALUE;
        int rows = 0;
        for (int i = 0; i < 5; i++) {
            long t = System.nanoTime();
            rows = query.get();
            best = Math.min(best, System.nanoTime() - t);
        }
        System.out.printf("%-60s %8.1f ms (best of 5, %d rows)%n", what, best / 1e6, rows);
    }

    private static SpanRow span(String trace, String id, String parent, String svc, String name, SpanKind kind,
                                long start, long duration, StatusCode st, Map<String, Object> attrs) {
        return new SpanRow(trace, id, parent, svc, name, kind, start, start + duration, st, "", attrs,
                Map.of("service.name", svc), "bench", List.of(), List.of());
    }

    private static long ms(long ms) {
        return ms * 1_000_000L;
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
