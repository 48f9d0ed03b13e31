package dev.plumb.analytics.traces;

import java.time.Instant;
import java.util.Map;

/** An event of a span as the trace view shows it. */
public record SpanEventView(String name, Instant ts, Map<String, Object> attributes) {
}
