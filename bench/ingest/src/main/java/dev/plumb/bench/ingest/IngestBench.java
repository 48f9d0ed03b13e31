package dev.plumb.bench.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The ingest benchmark: the same spans, pre-encoded, to a Zipkin server (in-memory storage, v2
 * JSON) and to a Plumb collector ({@code plumb.jar serve}, OTLP/HTTP JSON and protobuf), each
 * forked fresh on loopback, at several concurrency levels. After each level it counts the traces
 * back through the server's own API, and it samples the server's resident memory throughout.
 * Bounded by {@code --seconds} and {@code --max-requests} per level. See docs/performance.md.
 */
public final class IngestBench {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration QUERYABLE_TIMEOUT = Duration.ofSeconds(120);
    private static final int SPOT_CHECKS = 50;
    private static final int TEMPLATES = 8;

    private final IngestOptions options;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final JsonApi api = new JsonApi(http);
    private final List<String> report = new ArrayList<>();

    private IngestBench(IngestOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        IngestOptions options;
        try {
            options = IngestOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ingest bench: " + e.getMessage());
            System.err.println(IngestOptions.USAGE);
            System.exit(2);
            return;
        }
        new IngestBench(options).run();
    }

    private void run() {
        say("# Ingest: %d spans per request (%d traces of %d spans, 3 services, 1 trace in 10 failing), "
                        + "%d s or %,d requests per level, %d cores, Java %s",
                options.tracesPerBody() * TraceShape.SPANS_PER_TRACE, options.tracesPerBody(),
                TraceShape.SPANS_PER_TRACE, options.seconds(), options.maxRequests(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        say("");
        say("| server | format | senders | requests | spans accepted | accepted spans/s | found back | "
                + "queryable spans/s | server CPU µs/span | p50 / p99 ms | refused (429/503) | failed | peak RSS MiB |");
        say("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        List<String> totals = new ArrayList<>();
        for (WireFormat format : options.formats()) {
            totals.add(runServer(format));
        }
        say("");
        totals.forEach(this::say);
        write();
    }

    /** Starts a fresh server for {@code format}, runs every level against it, and stops it. */
    private String runServer(WireFormat format) {
        Instant from = Instant.now().minus(Duration.ofHours(1));
        List<BodyTemplate> templates = BodyTemplate.build(format, TEMPLATES, options.tracesPerBody(), 10,
                Instant.now().toEpochMilli() * 1_000, 42);
        Path log = options.workDir().resolve(format.label + ".log");
        Running running = fork(format, log);
        try (ForkedServer process = running.process()) {
            SpanServer server = running.server();
            LoadLevel load = new LoadLevel(http, server.ingest(format), templates, new AtomicInteger(1));
            AtomicLong peak = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(process.residentBytes(), Math::max),
                    0, 250, TimeUnit.MILLISECONDS);
            try {
                long expectedTraces = 0;
                if (options.warmupSeconds() > 0) {
                    LoadLevel.Result warm = load.run(4, Duration.ofSeconds(options.warmupSeconds()), Long.MAX_VALUE);
                    expectedTraces += warm.spans() / TraceShape.SPANS_PER_TRACE;
                }
                List<String> sample = new ArrayList<>();
                for (int concurrency : options.concurrency()) {
                    peak.set(process.residentBytes());
                    Duration cpuBefore = process.cpuTime();
                    LoadLevel.Result level = load.run(concurrency,
                            Duration.ofSeconds(options.seconds()), options.maxRequests());
                    expectedTraces += level.spans() / TraceShape.SPANS_PER_TRACE;
                    Found found = awaitTraces(server, from, expectedTraces);
                    // Plumb acknowledges after the commit, Zipkin after its in-memory insert: both
                    // should answer at once; any wait counts as time the spans were not yet queryable.
                    double queryable = level.spans() / ((level.elapsed().toNanos() + found.waited().toNanos()) / 1e9);
                    // Until every span is queryable, answering the count included: the cost of taking the level.
                    double cpuMicrosPerSpan = process.cpuTime().minus(cpuBefore).toNanos() / 1e3 / Math.max(1, level.spans());
                    say("| %s | %s | %d | %,d | %,d | %,.0f | %,d / %,d traces | %,.0f | %.2f | %.1f / %.1f | %,d | %,d%s | %,d |",
                            process.name(), format.label, concurrency, level.requests(), level.spans(),
                            level.spansPerSecond(), found.traces(), expectedTraces, found.traces() >= expectedTraces ? queryable : 0,
                            cpuMicrosPerSpan, level.p50Ms(), level.p99Ms(), level.refused(), level.failed(),
                            level.firstFailure().isEmpty() ? "" : " (" + level.firstFailure().lines().findFirst().orElse("") + ")",
                            peak.get() >> 20);
                    sample.addAll(level.sample());
                }
                return summary(process, server, format, sample);
            } finally {
                sampler.shutdownNow();
            }
        }
    }

    private record Running(ForkedServer process, SpanServer server) {
    }

    /** What the server answered for, and how long after the first look it took to answer for all. */
    private record Found(long traces, Duration waited) {
    }

    private Running fork(WireFormat format, Path log) {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(options.jvmArgs());
        if (format == WireFormat.ZIPKIN_JSON) {
            int port = ForkedServer.freePort();
            URI base = URI.create("http://127.0.0.1:" + port);
            SpanServer zipkin = new ZipkinServer(base, api);
            // MEM_MAX_SPANS: the in-memory store drops the oldest traces beyond it (500,000 by default);
            // QUERY_TIMEOUT: its dependency linking over millions of spans takes longer than the 11 s default.
            List<String> command = Stream.concat(java.stream(), Stream.of("-jar", options.zipkinJar().toString(),
                    "--STORAGE_TYPE=mem", "--QUERY_PORT=" + port, "--MEM_MAX_SPANS=" + 50_000_000,
                    "--QUERY_TIMEOUT=600s")).toList();
            return new Running(ForkedServer.start("zipkin " + zipkinVersion(), command, log, base.resolve("/health"),
                    START_TIMEOUT), zipkin);
        }
        int otlp = ForkedServer.freePort();
        int grpc = ForkedServer.freePort();
        int apiPort = ForkedServer.freePort();
        Path data = options.workDir().resolve("plumb-data-" + format.label);
        QueryBench.deleteTree(data);
        URI apiBase = URI.create("http://127.0.0.1:" + apiPort);
        SpanServer plumb = new PlumbServer(URI.create("http://127.0.0.1:" + otlp), apiBase, api);
        java.addAll(options.plumbJvmArgs());
        List<String> command = Stream.concat(java.stream(), Stream.of("-jar", options.plumbJar().toString(), "serve",
                "--host=127.0.0.1", "--otlp-http-port=" + otlp, "--otlp-grpc-port=" + grpc, "--http-port=" + apiPort,
                "--data-dir=" + data)).toList();
        return new Running(ForkedServer.start("plumb", command, log, apiBase.resolve("/health"), START_TIMEOUT), plumb);
    }

    /** Polls until the server answers for {@code expected} traces, or the timeout passes. */
    private static Found awaitTraces(SpanServer server, Instant from, long expected) {
        long first = System.nanoTime();
        long found = server.storedTraces(from, Instant.now().plus(Duration.ofHours(1)));
        if (found >= expected) {
            return new Found(found, Duration.ZERO);
        }
        while (found < expected && System.nanoTime() - first < QUERYABLE_TIMEOUT.toNanos()) {
            ForkedServer.sleep(Duration.ofMillis(500));
            found = server.storedTraces(from, Instant.now().plus(Duration.ofHours(1)));
        }
        return new Found(found, Duration.ofNanos(System.nanoTime() - first));
    }

    private String summary(ForkedServer process, SpanServer server, WireFormat format, List<String> sample) {
        List<String> checked = sample.stream().limit(SPOT_CHECKS).toList();
        long complete = checked.stream().filter(t -> server.spansOf(t) == TraceShape.SPANS_PER_TRACE).count();
        return String.format("%s (%s): peak RSS (VmHWM) %,d MiB; %d of %d sampled traces returned by id with all %d spans",
                process.name(), format.label, process.peakResidentBytes() >> 20, complete, checked.size(),
                TraceShape.SPANS_PER_TRACE);
    }

    private String zipkinVersion() {
        String file = options.zipkinJar().getFileName().toString();
        return file.replace("zipkin-server-", "").replace("-exec.jar", "");
    }

    private void say(String format, Object... args) {
        String line = args.length == 0 ? format : String.format(format, args);
        System.out.println(line);
        report.add(line);
    }

    private void write() {
        Path out = options.workDir().resolve("ingest-results.md");
        try {
            Files.write(out, report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        System.out.println("written to " + out);
    }

    static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }
}
