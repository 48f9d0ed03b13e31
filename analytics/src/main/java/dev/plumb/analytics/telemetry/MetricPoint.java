package dev.plumb.analytics.telemetry;

import java.util.List;
import java.util.Map;

/**
 * One metric data point as stored. Gauges and sums use {@code value}; histograms use
 * {@code count}, {@code sum}, {@code min}, {@code max}, {@code bounds} (upper bounds, ascending)
 * and {@code bucketCounts} ({@code bounds.size() + 1} entries, the last for +Inf). Exponential
 * histograms arrive here already converted to explicit bounds. Unused numbers are {@code NaN}
 * (doubles) or 0 (counts).
 */
public record MetricPoint(
        String service,
        String name,
        String description,
        String unit,
        MetricType type,
        Temporality temporality,
        boolean monotonic,
        long startNanos,
        long timeNanos,
        Map<String, Object> attributes,
        Map<String, Object> resource,
        double value,
        long count,
        double sum,
        double min,
        double max,
        List<Double> bounds,
        List<Long> bucketCounts,
        List<Exemplar> exemplars) {

    public MetricPoint {
        attributes = Map.copyOf(attributes);
        resource = Map.copyOf(resource);
        bounds = List.copyOf(bounds);
        bucketCounts = List.copyOf(bucketCounts);
        exemplars = List.copyOf(exemplars);
    }
}
