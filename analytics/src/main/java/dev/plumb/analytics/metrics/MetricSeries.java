package dev.plumb.analytics.metrics;

import java.util.List;

/**
 * A metric as a time series: one value per step from the window's start, computed with
 * {@code agg} over every series that matches the filters, and the newest exemplars of the
 * metric in the window.
 */
public record MetricSeries(String name, String type, String unit, String agg, int seriesCount,
                           List<MetricValue> points, List<ExemplarView> exemplars) {
}
