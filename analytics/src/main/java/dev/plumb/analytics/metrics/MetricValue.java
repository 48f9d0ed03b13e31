package dev.plumb.analytics.metrics;

import java.time.Instant;

/** One step of a metric series: the step's start and the aggregated value (NaN when the step holds no data). */
public record MetricValue(Instant ts, double value) {
}
