package dev.plumb.analytics.cost;

import static dev.plumb.analytics.cost.CostFixture.BOTH_DAYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.analytics.TimeRange;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trend, efficiency with rightsizing, and anomalies, on hand-computed usage. */
class CostInsightsTest {
    private static final double GIB = 1024.0 * 1024 * 1024;
    /** One pod for an hour at 1 core and 1 GiB requested, default prices. */
    private static final double POD_HOUR = 0.031611 + 0.004237;

    @TempDir
    Path dir;

    @Test
    void trendGivesTheDailySeriesAndTheWeekOverWeekChange() {
        try (CostEngine engine = CostEngine.open(dir.resolve("data"), Pricing.defaults())) {
            // one pod for 7 days, then two pods for 7 days
            engine.record(hourly("api", Instant.parse("2026-03-01T00:00:00Z"), 14 * 24, day -> day < 7 ? 1 : 2), "test");
            TimeRange twoWeeks = new TimeRange(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-15T00:00:00Z"));
            List<CostTrend> trend = engine.trend(CostGroupBy.SERVICE, "api", twoWeeks);
            assertThat(trend).hasSize(1);
            CostTrend api = trend.get(0);
            assertThat(api.series()).hasSize(14);
            assertThat(api.series().get(0).total()).isCloseTo(24 * POD_HOUR, within(1e-9));
            assertThat(api.series().get(13).total()).isCloseTo(48 * POD_HOUR, within(1e-9));
            assertThat(api.weekBefore()).isCloseTo(7 * 24 * POD_HOUR, within(1e-9));
            assertThat(api.lastWeek()).isCloseTo(14 * 24 * POD_HOUR, within(1e-9));
            assertThat(api.change()).isCloseTo(6.022464, within(1e-6));
            assertThat(api.changePercent()).isCloseTo(100.0, within(1e-9));
        }
    }

    @Test
    void efficiencyWeighsUsageByCostAndSuggestsRequestsAtTargetUtilisation() {
        try (CostEngine engine = CostEngine.open(dir.resolve("data"), CostFixture.pricing())) {
            engine.importUsage(CostFixture.csv(dir));
            ServiceEfficiency checkout = engine.efficiency("checkout", BOTH_DAYS, 0.7).get(0);
            // CPU: 0.25 used of 0.5; memory: 1.5 GiB used of 1 GiB
            assertThat(checkout.cpuEfficiency()).isCloseTo(0.5, within(1e-9));
            assertThat(checkout.memoryEfficiency()).isCloseTo(1.5, within(1e-9));
            double cpuCost = 2 * 0.5 * 24 * 0.031611 + 3 * 0.5 * 24 * 0.05;
            double memoryCost = 5 * 1.5 * 24 * 0.004237;
            assertThat(checkout.efficiency()).isCloseTo((0.5 * cpuCost + 1.5 * memoryCost) / (cpuCost + memoryCost),
                    within(1e-9));
            // p95 of CPU usage 0.25 / 0.7 = 0.357 cores < 80 % of 0.5; memory already above its request
            assertThat(checkout.suggestedCpuCores()).isCloseTo(0.25 / 0.7, within(1e-9));
            assertThat(checkout.suggestedMemoryBytes()).isNull();
            // 120 pod-hours over 48 hours = 2.5 replicas, at the window's average CPU price
            double price = cpuCost / (5 * 0.5 * 24);
            assertThat(checkout.monthlySaving()).isCloseTo((0.5 - 0.25 / 0.7) * 2.5 * 730 * price, within(1e-9));
            assertThat(checkout.monthlySaving()).isCloseTo(11.12, within(0.005));
        }
    }

    @Test
    void rightsizingNeverGoesBelowTheFloors() {
        try (CostEngine engine = CostEngine.open(dir.resolve("data"), Pricing.defaults())) {
            List<UsageSample> idle = new ArrayList<>();
            for (int h = 0; h < 24; h++) {
                idle.add(new UsageSample("idle-0", "shop", "idle", null, null, Map.of(),
                        Instant.parse("2026-03-01T00:00:00Z").plus(Duration.ofHours(h)), null, 0.001, 1, 1024 * 1024,
                        GIB, 0, 0, 0));
            }
            engine.record(idle, "test");
            ServiceEfficiency e = engine.efficiency("idle", BOTH_DAYS, 0.7).get(0);
            assertThat(e.suggestedCpuCores()).isEqualTo(0.010);
            assertThat(e.suggestedMemoryBytes()).isEqualTo(20 * 1024.0 * 1024);
            // (1 − 0.01) cores and (1 − 20/1024) GiB, one replica, a 730-hour month
            assertThat(e.monthlySaving()).isCloseTo(730 * (0.99 * 0.031611 + (1 - 20 / 1024.0) * 0.004237), within(1e-9));
        }
    }

    @Test
    void flagsACostJumpOnceWithItsDrivers() {
        try (CostEngine engine = CostEngine.open(dir.resolve("data"), Pricing.defaults())) {
            // one pod for 7 days, three pods on days 8 and 9, one again from day 10
            engine.record(hourly("api", Instant.parse("2026-03-01T00:00:00Z"), 12 * 24,
                    day -> day == 7 || day == 8 ? 3 : 1), "test");
            TimeRange window = new TimeRange(Instant.parse("2026-03-04T00:00:00Z"), Instant.parse("2026-03-13T00:00:00Z"));
            List<CostAnomaly> anomalies = engine.anomalies(null, window, 0.5, 1.0);
            assertThat(anomalies).hasSize(1);
            CostAnomaly jump = anomalies.get(0);
            assertThat(jump.day()).isEqualTo(Instant.parse("2026-03-08T00:00:00Z"));
            // day 9 costs as much as day 8, which is now within its recent range: not flagged again
            assertThat(jump.days()).isEqualTo(1);
            assertThat(jump.cost()).isCloseTo(72 * POD_HOUR, within(1e-9));
            assertThat(jump.expectedHigh()).isCloseTo(24 * POD_HOUR, within(1e-9));
            assertThat(jump.deviation()).isCloseTo(48 * POD_HOUR, within(1e-9));
            assertThat(jump.drivers().get(0).driver()).isEqualTo("replica-hours");
            assertThat(jump.drivers().get(0).delta()).isEqualTo(1.72);
            // a threshold above the jump flags nothing
            assertThat(engine.anomalies(null, window, 0.5, 2.0)).isEmpty();
        }
    }

    @Test
    void doesNotJudgeTheDayStillInProgress() {
        try (CostEngine engine = CostEngine.open(dir.resolve("data"), Pricing.defaults())) {
            engine.record(hourly("api", Instant.parse("2026-03-01T00:00:00Z"), 12 * 24, day -> 1), "test");
            // six hours into March 12th that day has cost a quarter of the others: not a drop yet
            TimeRange window = new TimeRange(Instant.parse("2026-03-08T00:00:00Z"), Instant.parse("2026-03-12T06:00:00Z"));
            assertThat(engine.anomalies(null, window, 0.5, 0.1)).isEmpty();
            // once the day has ended with the same six hours, it is one
            engine.record(hourly("api", Instant.parse("2026-03-13T00:00:00Z"), 6, day -> 1), "test");
            TimeRange later = new TimeRange(Instant.parse("2026-03-08T00:00:00Z"), Instant.parse("2026-03-15T00:00:00Z"));
            assertThat(engine.anomalies(null, later, 0.5, 0.1)).extracting(CostAnomaly::day)
                    .contains(Instant.parse("2026-03-13T00:00:00Z"));
        }
    }

    /** Hourly samples of {@code service}, {@code pods.applyAsInt(day)} pods on each day (1 core, 1 GiB requested). */
    private static List<UsageSample> hourly(String service, Instant start, int hours,
                                            java.util.function.IntUnaryOperator pods) {
        List<UsageSample> out = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            for (int p = 0; p < pods.applyAsInt(h / 24); p++) {
                out.add(new UsageSample(service + "-" + p, "shop", service, null, null, Map.of(),
                        start.plus(Duration.ofHours(h)), 3600.0, 0.5, 1, 0.5 * GIB, GIB, 0, 0, 0));
            }
        }
        return out;
    }
}
