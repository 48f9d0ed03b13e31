package dev.plumb.analytics.traces;

import java.time.Instant;

/** One trace in a search result: its root, its length and whether any span failed. */
public record TraceSummary(String traceId, String rootService, String rootName, Instant startTs,
                           double durationMs, int spanCount, boolean error) {
}
