package dev.plumb.analytics.telemetry;

import java.util.Map;

/** A link from a span to another span, possibly in another trace (hex ids). */
public record SpanLink(String traceId, String spanId, Map<String, Object> attributes) {
    public SpanLink {
        attributes = Map.copyOf(attributes);
    }
}
