package dev.plumb.analytics.traces;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A span in a trace tree, with the spans it caused as {@code children} ordered by start. */
public record SpanNode(String spanId, String parentSpanId, String service, String name, String kind,
                       Instant startTs, double durationMs, String status, String statusMessage,
                       Map<String, Object> attributes, List<SpanEventView> events, List<SpanNode> children) {
}
