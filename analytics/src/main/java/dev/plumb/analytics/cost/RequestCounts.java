package dev.plumb.analytics.cost;

import dev.plumb.analytics.TimeRange;
import java.util.Map;

/**
 * Requests served per service over a window, from the RED data; the benchmark divides cost by
 * it. The store supplies it in production ({@code store.services(range)}), a map in tests.
 */
@FunctionalInterface
public interface RequestCounts {
    /** No traffic known: cost per request is then absent. */
    RequestCounts NONE = range -> Map.of();

    /** Requests per service name in {@code range}. */
    Map<String, Long> requests(TimeRange range);
}
