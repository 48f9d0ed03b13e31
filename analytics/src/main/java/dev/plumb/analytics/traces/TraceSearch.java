package dev.plumb.analytics.traces;

import dev.plumb.analytics.TimeRange;

/**
 * Filters of a trace search; {@code service}, {@code query} (log query syntax over span fields
 * and attributes) may be null, {@code minDurationMs} 0 for no bound.
 */
public record TraceSearch(TimeRange range, String service, String query, double minDurationMs, int limit) {
}
