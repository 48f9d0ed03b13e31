package dev.plumb.collector.alerts;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.TimeRange;
import dev.plumb.analytics.alerts.AlertSubscription;
import dev.plumb.analytics.red.RedPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reads a signal's current value from the store through its public queries: the RED series of
 * the service with one step as long as the window, and the log search for {@code log_count}.
 */
final class Measurements {
    /** Log records counted at most; above it the condition is judged on this many. */
    static final int MAX_LOG_COUNT = 100_000;

    private final Store store;

    Measurements(Store store) {
        this.store = store;
    }

    Measurement measure(Signal signal, String service, String query, double threshold, Duration window, Instant now) {
        TimeRange range = new TimeRange(now.minus(window), now);
        if (signal == Signal.LOG_COUNT) {
            // Counting past the threshold is enough to judge any of the four operators.
            int limit = (int) Math.min(MAX_LOG_COUNT, Math.max(1, (long) Math.floor(threshold) + 1));
            int count = store.logs(serviceQuery(service, query), range, limit).size();
            return new Measurement(count, 0);
        }
        List<RedPoint> points = store.red(service, range, window);
        long requests = points.stream().mapToLong(RedPoint::requests).sum();
        RedPoint p = points.isEmpty() ? null : points.get(0);
        double value = switch (signal) {
            case ERROR_RATE -> p == null || p.requests() == 0 ? 0 : (double) p.errors() / p.requests();
            case LATENCY_P50 -> p == null ? 0 : p.p50Ms();
            case LATENCY_P95 -> p == null ? 0 : p.p95Ms();
            case LATENCY_P99 -> p == null ? 0 : p.p99Ms();
            case THROUGHPUT -> requests / (window.toMillis() / 1000.0);
            case LOG_COUNT -> throw new IllegalStateException("handled above");
        };
        return new Measurement(value, requests);
    }

    Measurement measure(AlertSubscription a, Instant now) {
        return measure(Signal.of(a.signal()).orElseThrow(), a.service(), a.query(), a.threshold(), a.window(), now);
    }

    /** The subscription's log query restricted to its service. */
    static String serviceQuery(String service, String query) {
        return "service:\"" + service.replace("\\", "\\\\").replace("\"", "\\\"") + "\" (" + query + ")";
    }
}
