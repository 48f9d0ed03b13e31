package dev.plumb.analytics.red;

import java.time.Instant;

/** RED figures of one service for one step of a time series, {@code ts} being the step's start. */
public record RedPoint(Instant ts, long requests, long errors, double errorRate,
                       double p50Ms, double p95Ms, double p99Ms) {
}
