package dev.plumb.analytics.telemetry;

import java.util.Map;

/** A timed event inside a span, such as the {@code exception} event of a failed call. */
public record SpanEvent(String name, long timeNanos, Map<String, Object> attributes) {
    public SpanEvent {
        attributes = Map.copyOf(attributes);
    }
}
