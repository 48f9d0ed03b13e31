package dev.plumb.analytics.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Histogram buckets of many points merged into one distribution, for percentiles. Each bucket
 * is a range {@code [lo, hi]} holding a count, assumed spread evenly over its range (the method
 * of Prometheus' {@code histogram_quantile}); a point's {@code min} and {@code max} narrow its
 * buckets to where observations can be, and the +Inf bucket without a {@code max} is taken to sit at the last finite
 * bound. Buckets of different layouts (exponential histograms at different scales) merge
 * exactly under that assumption, because the merged cumulative count is linear between any
 * two consecutive edges of all the buckets. A cumulative point's increase is added as the
 * newer point's buckets with weight +1 and the older one's with weight -1.
 */
final class BucketMerge {
    private final List<double[]> buckets = new ArrayList<>();  // {lo, hi, count}

    /** Adds a point's buckets times {@code weight}; {@code min}/{@code max} may be NaN. */
    void add(double[] bounds, long[] counts, double min, double max, int weight) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            double lo;
            double hi;
            if (bounds.length == 0) {
                lo = Double.isFinite(min) ? min : 0;
                hi = Double.isFinite(max) ? max : lo;
            } else if (i == 0) {
                lo = bounds[0] > 0 ? 0 : bounds[0];
                hi = bounds[0];
            } else if (i < bounds.length) {
                lo = bounds[i - 1];
                hi = bounds[i];
            } else {
                lo = bounds[bounds.length - 1];
                hi = Double.isFinite(max) ? Math.max(max, lo) : lo;
            }
            // Every observation lies within [min, max]: a bucket that reaches beyond is cut back
            // (and one that misses it only by the rounding of exponential bounds is moved onto it).
            if (Double.isFinite(min)) {
                lo = Math.max(lo, min);
                hi = Math.max(hi, min);
            }
            if (Double.isFinite(max)) {
                hi = Math.min(hi, max);
                lo = Math.min(lo, max);
            }
            buckets.add(new double[] {lo, hi, (double) weight * counts[i]});
        }
    }

    boolean isEmpty() {
        return buckets.isEmpty();
    }

    /** The {@code q} quantile (0..1) of the merged counts, NaN when they add up to nothing. */
    double quantile(double q) {
        double total = 0;
        for (double[] b : buckets) {
            total += b[2];
        }
        if (total <= 0) {
            return Double.NaN;
        }
        double[] edges = buckets.stream().flatMapToDouble(b -> Arrays.stream(new double[] {b[0], b[1]}))
                .sorted().distinct().toArray();
        double target = q * total;
        double previousEdge = edges[0];
        double previousCount = below(edges[0], false);
        for (double edge : edges) {
            double justBelow = below(edge, false);
            double atOrBelow = below(edge, true);
            if (atOrBelow >= target) {
                if (justBelow >= target && justBelow > previousCount) {
                    return previousEdge + (target - previousCount) / (justBelow - previousCount) * (edge - previousEdge);
                }
                // The target falls in the counts of buckets that sit exactly at this edge.
                return justBelow >= target ? previousEdge : edge;
            }
            previousEdge = edge;
            previousCount = atOrBelow;
        }
        return edges[edges.length - 1];
    }

    /** The merged count below {@code x}, including buckets that sit exactly at {@code x} when {@code inclusive}. */
    private double below(double x, boolean inclusive) {
        double sum = 0;
        for (double[] b : buckets) {
            if (b[0] == b[1]) {
                if (x > b[1] || (inclusive && x == b[1])) {
                    sum += b[2];
                }
            } else if (x >= b[1]) {
                sum += b[2];
            } else if (x > b[0]) {
                sum += b[2] * (x - b[0]) / (b[1] - b[0]);
            }
        }
        return sum;
    }
}
