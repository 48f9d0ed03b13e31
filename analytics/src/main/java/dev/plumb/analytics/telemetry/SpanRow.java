package dev.plumb.analytics.telemetry;

import java.util.List;
import java.util.Map;

/**
 * One span as stored. Ids are lower-case hex (32 characters for a trace, 16 for a span);
 * {@code parentSpanId} is empty for a root span. Times are epoch nanoseconds. Attribute values
 * are {@code String}, {@code Long}, {@code Double}, {@code Boolean} or a {@code List} of these.
 */
public record SpanRow(
        String traceId,
        String spanId,
        String parentSpanId,
        String service,
        String name,
        SpanKind kind,
        long startNanos,
        long endNanos,
        StatusCode status,
        String statusMessage,
        Map<String, Object> attributes,
        Map<String, Object> resource,
        String scopeName,
        List<SpanEvent> events,
        List<SpanLink> links) {

    public SpanRow {
        attributes = Map.copyOf(attributes);
        resource = Map.copyOf(resource);
        events = List.copyOf(events);
        links = List.copyOf(links);
    }

    /** The span's duration in nanoseconds (never negative). */
    public long durationNanos() {
        return Math.max(0, endNanos - startNanos);
    }
}
