package dev.plumb.analytics.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.TimeRange;
import dev.plumb.analytics.telemetry.MetricPoint;
import dev.plumb.analytics.telemetry.MetricType;
import dev.plumb.analytics.telemetry.Temporality;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counters across restarts and temporalities, summaries and gauge sums, per step. */
class MetricSeriesQueryTest {
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
    private static final TimeRange FOUR_MINUTES = new TimeRange(T0, T0.plus(Duration.ofMinutes(4)));

    @TempDir
    Path dataDir;

    private static long at(int seconds) {
        Instant t = T0.plusSeconds(seconds);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static MetricPoint number(String name, MetricType type, Temporality temporality, boolean monotonic,
                                      long start, long time, String pod, double value) {
        return new MetricPoint("api", name, "", "1", type, temporality, monotonic, start, time, Map.of("pod", pod),
                Map.of("service.name", "api"), value, 0, Double.NaN, Double.NaN, Double.NaN, List.of(), List.of(),
                List.of());
    }

    private static List<Double> values(MetricSeries series) {
        return series.points().stream().map(MetricValue::value).toList();
    }

    @Test
    void cumulativeCounterCountsAcrossARestartAndAddsDeltaSeries() {
        long before = at(-600);
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofMetrics(List.of(
                    // baseline before the window: only the differences after it count
                    number("requests", MetricType.SUM, Temporality.CUMULATIVE, true, before, at(-30), "a", 100),
                    number("requests", MetricType.SUM, Temporality.CUMULATIVE, true, before, at(30), "a", 110),
                    number("requests", MetricType.SUM, Temporality.CUMULATIVE, true, before, at(90), "a", 130),
                    // the process restarted: a new start time, counting from zero again
                    number("requests", MetricType.SUM, Temporality.CUMULATIVE, true, at(100), at(150), "a", 5),
                    number("requests", MetricType.SUM, Temporality.DELTA, true, at(140), at(170), "b", 7))));

            MetricSeries increase = store.metricSeries("requests", "api", FOUR_MINUTES, Duration.ofMinutes(1),
                    "increase", Map.of());
            assertThat(values(increase)).containsExactly(10.0, 20.0, 12.0, 0.0);
            assertThat(increase.seriesCount()).isEqualTo(2);
            MetricSeries podB = store.metricSeries("requests", null, FOUR_MINUTES, Duration.ofMinutes(2), "rate",
                    Map.of("pod", "b"));
            assertThat(values(podB)).containsExactly(0.0, 7.0 / 120);
        }
    }

    @Test
    void gaugeSumAddsEachSeriesLastValueOfTheStep() {
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofMetrics(List.of(
                    number("memory", MetricType.GAUGE, Temporality.UNSPECIFIED, false, 0, at(10), "a", 3),
                    number("memory", MetricType.GAUGE, Temporality.UNSPECIFIED, false, 0, at(50), "a", 5),
                    number("memory", MetricType.GAUGE, Temporality.UNSPECIFIED, false, 0, at(20), "b", 4))));

            assertThat(values(store.metricSeries("memory", "api", FOUR_MINUTES, Duration.ofMinutes(1), "sum", Map.of())))
                    .first().isEqualTo(9.0);
            assertThat(values(store.metricSeries("memory", "api", FOUR_MINUTES, Duration.ofMinutes(1), "max", Map.of())))
                    .first().isEqualTo(5.0);
            assertThat(values(store.metricSeries("memory", "api", FOUR_MINUTES, Duration.ofMinutes(1), null, Map.of())))
                    .first().isEqualTo(4.0);
        }
    }

    @Test
    void summaryAverageIsTheIncreaseOfItsSumOverTheIncreaseOfItsCount() {
        long start = at(-600);
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofMetrics(List.of(
                    summary(start, at(-10), 10, 50), summary(start, at(20), 14, 70), summary(start, at(80), 20, 130))));

            assertThat(values(store.metricSeries("latency", "api", FOUR_MINUTES, Duration.ofMinutes(1), "avg", Map.of())))
                    .startsWith(5.0, 10.0);
            assertThat(values(store.metricSeries("latency", "api", FOUR_MINUTES, Duration.ofMinutes(1), "count", Map.of())))
                    .startsWith(4.0, 6.0);
            assertThatThrownBy(() -> store.metricSeries("latency", "api", FOUR_MINUTES, Duration.ofMinutes(1), "p99",
                    Map.of())).isInstanceOf(MetricQueryException.class).hasMessageContaining("SUMMARY");
        }
    }

    private static MetricPoint summary(long start, long time, long count, double sum) {
        return new MetricPoint("api", "latency", "", "ms", MetricType.SUMMARY, Temporality.CUMULATIVE, true, start, time,
                Map.of(), Map.of("service.name", "api"), Double.NaN, count, sum, Double.NaN, Double.NaN, List.of(),
                List.of(), List.of());
    }
}
