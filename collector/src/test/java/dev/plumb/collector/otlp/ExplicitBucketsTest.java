package dev.plumb.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplicitBucketsTest {
    @Test
    void convertsScaleZeroBucketsToPowersOfTwo() {
        // scale 0: base 2; positive offset 1 means buckets (2,4], (4,8], (8,16]
        ExponentialHistogramDataPoint p = ExponentialHistogramDataPoint.newBuilder()
                .setScale(0).setZeroCount(2)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1)
                        .addBucketCounts(3).addBucketCounts(0).addBucketCounts(5))
                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(0).addBucketCounts(1))
                .build();
        ExplicitBuckets b = ExplicitBuckets.of(p);
        assertThat(b.bounds()).containsExactly(-1.0, 0.0, 4.0, 8.0, 16.0);
        assertThat(b.counts()).containsExactly(1L, 2L, 3L, 0L, 5L, 0L);
    }

    @Test
    void finerScalesUseRootsOfTwo() {
        // scale 1: base sqrt(2); offset -2 starts at 2^-1
        ExponentialHistogramDataPoint p = ExponentialHistogramDataPoint.newBuilder()
                .setScale(1)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-2)
                        .addBucketCounts(4).addBucketCounts(6))
                .build();
        ExplicitBuckets b = ExplicitBuckets.of(p);
        assertThat(b.bounds()).hasSize(3);
        assertThat(b.bounds().get(0)).isEqualTo(0.0);
        assertThat(b.bounds().get(1)).isCloseTo(Math.sqrt(0.5), org.assertj.core.api.Assertions.within(1e-12));
        assertThat(b.bounds().get(2)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(b.counts()).isEqualTo(List.of(0L, 4L, 6L, 0L));
    }
}
