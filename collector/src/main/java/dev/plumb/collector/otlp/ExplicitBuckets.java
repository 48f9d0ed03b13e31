package dev.plumb.collector.otlp;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * An exponential histogram rewritten with explicit upper bounds, so that one percentile query
 * serves both kinds. Positive bucket {@code i} covers {@code (base^(offset+i), base^(offset+i+1)]}
 * with {@code base = 2^(2^-scale)}; negative buckets mirror it; the zero bucket ends at 0.
 */
record ExplicitBuckets(List<Double> bounds, List<Long> counts) {

    static ExplicitBuckets of(ExponentialHistogramDataPoint p) {
        double base = Math.pow(2, Math.pow(2, -p.getScale()));
        List<Double> bounds = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        ExponentialHistogramDataPoint.Buckets neg = p.getNegative();
        // Ascending values: the most negative bucket first; each ends at -base^(offset+i).
        for (int i = neg.getBucketCountsCount() - 1; i >= 0; i--) {
            bounds.add(-Math.pow(base, neg.getOffset() + i));
            counts.add(neg.getBucketCounts(i));
        }
        bounds.add(0.0);
        counts.add(p.getZeroCount());
        ExponentialHistogramDataPoint.Buckets pos = p.getPositive();
        for (int i = 0; i < pos.getBucketCountsCount(); i++) {
            bounds.add(Math.pow(base, pos.getOffset() + i + 1));
            counts.add(pos.getBucketCounts(i));
        }
        counts.add(0L); // the +Inf bucket: every value fell in a finite bucket
        return new ExplicitBuckets(List.copyOf(bounds), List.copyOf(counts));
    }
}
