package dev.plumb.analytics.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BucketMergeTest {
    private static final double NONE = Double.NaN;

    @Test
    void spreadsEachBucketEvenlyBetweenItsBoundsNarrowedByMinAndMax() {
        BucketMerge merge = new BucketMerge();
        merge.add(new double[] {10, 20, 50}, new long[] {0, 5, 5, 0}, 12, 50, 1);
        assertThat(merge.quantile(0.5)).isCloseTo(20, within(1e-12));
        assertThat(merge.quantile(0.95)).isCloseTo(47, within(1e-12));
        assertThat(merge.quantile(0.25)).isCloseTo(16, within(1e-12));
    }

    @Test
    void subtractsTheOlderCumulativePointToKeepOnlyTheIncrease() {
        BucketMerge merge = new BucketMerge();
        merge.add(new double[] {10, 20, 50}, new long[] {0, 5, 5, 0}, 12, 50, 1);
        merge.add(new double[] {10, 20, 50}, new long[] {0, 2, 0, 0}, 12, 50, -1);
        // left: 3 in [12, 20], 5 in [20, 50]; the 4th of 8 lies a fifth of the way into the second
        assertThat(merge.quantile(0.5)).isCloseTo(26, within(1e-12));
    }

    @Test
    void mergesDifferentBucketLayoutsExactlyUnderTheEvenSpread() {
        BucketMerge merge = new BucketMerge();
        merge.add(new double[] {10}, new long[] {10, 0}, NONE, NONE, 1);
        merge.add(new double[] {5, 10}, new long[] {5, 5, 0}, NONE, NONE, 1);
        assertThat(merge.quantile(0.5)).isCloseTo(5, within(1e-12));
        assertThat(merge.quantile(0.25)).isCloseTo(2.5, within(1e-12));
    }

    @Test
    void overflowBucketWithoutMaxSitsAtTheLastBound() {
        BucketMerge merge = new BucketMerge();
        merge.add(new double[] {1}, new long[] {1, 1}, NONE, NONE, 1);
        assertThat(merge.quantile(0.99)).isEqualTo(1.0);
        assertThat(merge.quantile(0.25)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void answersNaNWithoutObservations() {
        BucketMerge merge = new BucketMerge();
        merge.add(new double[] {1}, new long[] {0, 0}, NONE, NONE, 1);
        assertThat(merge.quantile(0.5)).isNaN();
    }
}
