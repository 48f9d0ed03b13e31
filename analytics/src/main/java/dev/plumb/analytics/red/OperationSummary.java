package dev.plumb.analytics.red;

/** RED figures of one operation (entry span name) of a service over a window. */
public record OperationSummary(String operation, long requests, long errors, double errorRate,
                               double p50Ms, double p95Ms, double p99Ms) {
}
