package dev.plumb.analytics.telemetry;

import java.util.Map;

/** A sample measurement that links a metric point to the trace that produced it (hex ids). */
public record Exemplar(long timeNanos, double value, String traceId, String spanId, Map<String, Object> attributes) {
    public Exemplar {
        attributes = Map.copyOf(attributes);
    }
}
