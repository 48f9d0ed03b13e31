package dev.plumb.analytics.traces;

import dev.plumb.analytics.logs.LogView;
import java.util.List;

/**
 * A whole trace: its root spans (normally one; more when a parent never arrived) with their
 * descendants, and the log records that carry the trace id, oldest first.
 */
public record TraceTree(String traceId, List<SpanNode> spans, List<LogView> logs) {
}
