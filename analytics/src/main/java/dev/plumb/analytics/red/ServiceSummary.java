package dev.plumb.analytics.red;

/** RED figures of one service over a window: requests, errors and latency percentiles. */
public record ServiceSummary(String name, long requests, long errors, double errorRate,
                             double p50Ms, double p95Ms, double p99Ms) {
}
