package dev.plumb.agent.metrics;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Turns the Prometheus histogram into OpenTelemetry's {@code monitor.duration} (cumulative,
 * explicit buckets, unit {@code s}) each time the periodic reader exports, so the OTLP export
 * costs nothing on the call path.
 */
public final class OtlpHistogramProducer implements MetricProducer {

    static final AttributeKey<String> CODE_FUNCTION_NAME = AttributeKey.stringKey("code.function.name");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final DurationHistogram histogram;
    private final InstrumentationScopeInfo scope;
    private final long startEpochNanos;
    private final List<Double> boundaries;

    /** Creates the producer; {@code startEpochNanos} is the start of every cumulative series. */
    public OtlpHistogramProducer(DurationHistogram histogram, String scopeVersion, long startEpochNanos) {
        this.histogram = histogram;
        this.scope = InstrumentationScopeInfo.builder("dev.plumb.agent").setVersion(scopeVersion).build();
        this.startEpochNanos = startEpochNanos;
        List<Double> bounds = new ArrayList<>();
        for (double bound : DurationHistogram.UPPER_BOUNDS) {
            bounds.add(bound);
        }
        this.boundaries = List.copyOf(bounds);
    }

    @Override
    public Collection<MetricData> produce(Resource resource) {
        HistogramSnapshot snapshot = histogram.collect();
        long now = System.currentTimeMillis() * 1_000_000L;
        List<HistogramPointData> points = new ArrayList<>();
        for (HistogramSnapshot.HistogramDataPointSnapshot point : snapshot.getDataPoints()) {
            if (point.getCount() == 0) {
                continue;
            }
            ClassicHistogramBuckets buckets = point.getClassicBuckets();
            List<Long> counts = new ArrayList<>(buckets.size());
            for (int i = 0; i < buckets.size(); i++) {
                counts.add(buckets.getCount(i));
            }
            points.add(ImmutableHistogramPointData.create(startEpochNanos, now, attributes(point.getLabels()),
                    point.getSum(), false, 0, false, 0, boundaries, counts));
        }
        if (points.isEmpty()) {
            return List.of();
        }
        return List.of(ImmutableMetricData.createDoubleHistogram(resource, scope, "monitor.duration",
                "Duration of calls of @Monitor methods, by outcome.", "s",
                ImmutableHistogramData.create(AggregationTemporality.CUMULATIVE, points)));
    }

    private static Attributes attributes(Labels labels) {
        AttributesBuilder builder = Attributes.builder()
                .put(CODE_FUNCTION_NAME, labels.get(DurationHistogram.FUNCTION))
                .put(OUTCOME, labels.get(DurationHistogram.OUTCOME));
        String errorType = labels.get(DurationHistogram.ERROR_TYPE);
        if (errorType != null && !errorType.isEmpty()) {
            builder.put(ERROR_TYPE, errorType);
        }
        return builder.build();
    }
}
