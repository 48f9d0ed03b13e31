package dev.plumb.bench.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends stamped bodies to one server from {@code concurrency} threads, each waiting for its
 * answer before the next request, until {@code duration} has passed or {@code maxRequests}
 * bodies were accepted. A 429 or 503 is retried with the same body after the server's
 * {@code Retry-After} (as OTLP exporters do), so refusals cost time rather than spans.
 */
final class LoadLevel {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int SAMPLE_EVERY = 97;

    private final HttpClient http;
    private final URI target;
    private final List<BodyTemplate> templates;
    private final AtomicInteger requestNumbers;

    /** {@code requestNumbers} must be shared by every level sent to one server, so that ids never repeat. */
    LoadLevel(HttpClient http, URI target, List<BodyTemplate> templates, AtomicInteger requestNumbers) {
        this.http = http;
        this.target = target;
        this.templates = List.copyOf(templates);
        this.requestNumbers = requestNumbers;
    }

    /** What one level achieved; {@code sample} holds trace ids of accepted requests, to look up afterwards. */
    record Result(int concurrency, long requests, long spans, long refused, long failed, String firstFailure,
                  Duration elapsed, double p50Ms, double p99Ms, List<String> sample) {

        double spansPerSecond() {
            return spans / (elapsed.toNanos() / 1e9);
        }
    }

    Result run(int concurrency, Duration duration, long maxRequests) {
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        AtomicInteger budget = new AtomicInteger((int) Math.min(Integer.MAX_VALUE, maxRequests));
        LongAdder accepted = new LongAdder();
        LongAdder spans = new LongAdder();
        LongAdder refused = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicReference<String> firstFailure = new AtomicReference<>("");
        List<long[]> latencies = Collections.synchronizedList(new ArrayList<>());
        List<String> sample = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            Thread thread = new Thread(() -> {
                long[] mine = new long[1024];
                int n = 0;
                while (System.nanoTime() < deadline && budget.getAndDecrement() > 0) {
                    int number = requestNumbers.getAndIncrement();
                    BodyTemplate template = templates.get(number % templates.size());
                    HttpRequest request = HttpRequest.newBuilder(target).timeout(REQUEST_TIMEOUT)
                            .header("Content-Type", template.format().contentType)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(template.stamp(number, System.currentTimeMillis() * 1_000))).build();
                    long sent = System.nanoTime();
                    Outcome outcome = send(request, deadline, refused, firstFailure);
                    if (outcome == Outcome.ACCEPTED) {
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = System.nanoTime() - sent;
                        accepted.increment();
                        spans.add(template.spans());
                        if (number % SAMPLE_EVERY == 0) {
                            sample.add(template.traceIds(number).get(number % template.traceIds().size()));
                        }
                    } else if (outcome == Outcome.FAILED) {
                        failed.increment();
                    }
                }
                latencies.add(Arrays.copyOf(mine, n));
            }, "bench-sender-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(concurrency, accepted.sum(), spans.sum(), refused.sum(), failed.sum(), firstFailure.get(),
                elapsed, percentileMs(all, 0.50), percentileMs(all, 0.99), List.copyOf(sample));
    }

    private enum Outcome { ACCEPTED, FAILED, GAVE_UP }

    private Outcome send(HttpRequest request, long deadline, LongAdder refused, AtomicReference<String> firstFailure) {
        while (true) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                firstFailure.compareAndSet("", e.toString());
                return Outcome.FAILED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.GAVE_UP;
            }
            int status = response.statusCode();
            if (status == 200 || status == 202) {
                return Outcome.ACCEPTED;
            }
            if (status != 429 && status != 503) {
                firstFailure.compareAndSet("", status + " " + response.body());
                return Outcome.FAILED;
            }
            refused.increment();
            long wait = response.headers().firstValueAsLong("Retry-After").orElse(1) * 1_000_000_000L;
            if (System.nanoTime() + wait >= deadline) {
                return Outcome.GAVE_UP;
            }
            ForkedServer.sleep(Duration.ofNanos(wait));
        }
    }

    private static double percentileMs(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, index)] / 1e6;
    }
}
