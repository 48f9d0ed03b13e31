package dev.plumb.collector.otlp;

import dev.plumb.analytics.telemetry.Exemplar;
import dev.plumb.analytics.telemetry.MetricPoint;
import dev.plumb.analytics.telemetry.MetricType;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import dev.plumb.analytics.telemetry.Temporality;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an OTLP metrics export into metric points: gauges, sums, histograms, exponential
 * histograms (converted to explicit bounds) and summaries (count and sum).
 */
final class MetricDecoder {
    private MetricDecoder() {
    }

    static Decoded decode(ExportMetricsServiceRequest request) {
        List<MetricPoint> points = new ArrayList<>();
        Rejections rejections = new Rejections();
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            Map<String, Object> resource = OtlpAttributes.resource(rm.getResource());
            String service = OtlpAttributes.serviceOf(resource);
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric metric : sm.getMetricsList()) {
                    if (metric.getName().isBlank()) {
                        rejections.add("metric without a name");
                        continue;
                    }
                    new MetricDecoder.Points(service, resource, metric, points, rejections).decode();
                }
            }
        }
        return new Decoded(TelemetryBatch.ofMetrics(points), rejections.count(), rejections.message());
    }

    /** The points of one metric; holds what every point of it shares. */
    private record Points(String service, Map<String, Object> resource, Metric metric, List<MetricPoint> out,
                          Rejections rejections) {
        void decode() {
            switch (metric.getDataCase()) {
                case GAUGE -> metric.getGauge().getDataPointsList()
                        .forEach(p -> number(p, MetricType.GAUGE, Temporality.UNSPECIFIED, false));
                case SUM -> metric.getSum().getDataPointsList()
                        .forEach(p -> number(p, MetricType.SUM, temporality(metric.getSum().getAggregationTemporality()),
                                metric.getSum().getIsMonotonic()));
                case HISTOGRAM -> metric.getHistogram().getDataPointsList()
                        .forEach(p -> histogram(p, temporality(metric.getHistogram().getAggregationTemporality())));
                case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsList()
                        .forEach(p -> exponential(p,
                                temporality(metric.getExponentialHistogram().getAggregationTemporality())));
                case SUMMARY -> metric.getSummary().getDataPointsList().forEach(this::summary);
                default -> rejections.add("metric '" + metric.getName() + "' carries no data points of a known type");
            }
        }

        private void number(NumberDataPoint p, MetricType type, Temporality temporality, boolean monotonic) {
            double value = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
            out.add(point(type, temporality, monotonic, p.getStartTimeUnixNano(), p.getTimeUnixNano(),
                    OtlpAttributes.flatten(p.getAttributesList()), value, 0, Double.NaN, Double.NaN, Double.NaN,
                    List.of(), List.of(), exemplars(p.getExemplarsList())));
        }

        private void histogram(HistogramDataPoint p, Temporality temporality) {
            if (p.getBucketCountsCount() != 0 && p.getBucketCountsCount() != p.getExplicitBoundsCount() + 1) {
                rejections.add("histogram '" + metric.getName() + "': " + p.getBucketCountsCount()
                        + " bucket counts for " + p.getExplicitBoundsCount() + " bounds (needs bounds + 1)");
                return;
            }
            out.add(point(MetricType.HISTOGRAM, temporality, true, p.getStartTimeUnixNano(), p.getTimeUnixNano(),
                    OtlpAttributes.flatten(p.getAttributesList()), Double.NaN, p.getCount(),
                    p.hasSum() ? p.getSum() : Double.NaN, p.hasMin() ? p.getMin() : Double.NaN,
                    p.hasMax() ? p.getMax() : Double.NaN, p.getExplicitBoundsList(), p.getBucketCountsList(),
                    exemplars(p.getExemplarsList())));
        }

        private void exponential(ExponentialHistogramDataPoint p, Temporality temporality) {
            ExplicitBuckets buckets = ExplicitBuckets.of(p);
            out.add(point(MetricType.EXPONENTIAL_HISTOGRAM, temporality, true, p.getStartTimeUnixNano(),
                    p.getTimeUnixNano(), OtlpAttributes.flatten(p.getAttributesList()), Double.NaN, p.getCount(),
                    p.hasSum() ? p.getSum() : Double.NaN, p.hasMin() ? p.getMin() : Double.NaN,
                    p.hasMax() ? p.getMax() : Double.NaN, buckets.bounds(), buckets.counts(),
                    exemplars(p.getExemplarsList())));
        }

        private void summary(SummaryDataPoint p) {
            out.add(point(MetricType.SUMMARY, Temporality.CUMULATIVE, true, p.getStartTimeUnixNano(),
                    p.getTimeUnixNano(), OtlpAttributes.flatten(p.getAttributesList()), Double.NaN, p.getCount(),
                    p.getSum(), Double.NaN, Double.NaN, List.of(), List.of(), List.of()));
        }

        private MetricPoint point(MetricType type, Temporality temporality, boolean monotonic, long start, long time,
                                  Map<String, Object> attributes, double value, long count, double sum, double min,
                                  double max, List<Double> bounds, List<Long> bucketCounts, List<Exemplar> exemplars) {
            return new MetricPoint(service, metric.getName(), metric.getDescription(), metric.getUnit(), type,
                    temporality, monotonic, start, time, attributes, resource, value, count, sum, min, max, bounds,
                    bucketCounts, exemplars);
        }
    }

    private static Temporality temporality(AggregationTemporality t) {
        return switch (t) {
            case AGGREGATION_TEMPORALITY_DELTA -> Temporality.DELTA;
            case AGGREGATION_TEMPORALITY_CUMULATIVE -> Temporality.CUMULATIVE;
            default -> Temporality.UNSPECIFIED;
        };
    }

    private static List<Exemplar> exemplars(List<io.opentelemetry.proto.metrics.v1.Exemplar> in) {
        if (in.isEmpty()) {
            return List.of();
        }
        List<Exemplar> out = new ArrayList<>(in.size());
        for (io.opentelemetry.proto.metrics.v1.Exemplar e : in) {
            double value = e.getValueCase() == io.opentelemetry.proto.metrics.v1.Exemplar.ValueCase.AS_INT
                    ? e.getAsInt() : e.getAsDouble();
            out.add(new Exemplar(e.getTimeUnixNano(), value, OtlpIds.optionalHex(e.getTraceId()),
                    OtlpIds.optionalHex(e.getSpanId()), OtlpAttributes.flatten(e.getFilteredAttributesList())));
        }
        return out;
    }
}
