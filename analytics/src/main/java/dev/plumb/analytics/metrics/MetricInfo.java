package dev.plumb.analytics.metrics;

import java.util.List;

/**
 * A metric stored in a window: its name and point type ({@code GAUGE}, {@code SUM},
 * {@code HISTOGRAM}, {@code EXPONENTIAL_HISTOGRAM}, {@code SUMMARY}), whether a sum only grows,
 * its unit and description, the attribute (label) keys its points carry, the services that
 * sent it, how many distinct series (service and attributes) and points it has, and the
 * aggregations {@link MetricSeriesQuery} accepts for it, the first being the default.
 */
public record MetricInfo(String name, String type, boolean monotonic, String unit, String description,
                         List<String> labelKeys, List<String> services, long series, long points,
                         List<String> aggs) {
}
