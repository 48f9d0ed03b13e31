package dev.plumb.analytics.metrics;

import java.time.Instant;
import java.util.Map;

/**
 * A measurement a metric point carried as an example, with the trace and span that produced
 * it, so that a latency spike leads to a trace ({@code /traces/{traceId}}).
 */
public record ExemplarView(Instant ts, String service, double value, String traceId, String spanId,
                           Map<String, Object> attributes) {
}
