package dev.plumb.analytics.cost;

import static dev.plumb.analytics.cost.CostFixture.CHECKOUT_DAY1;
import static dev.plumb.analytics.cost.CostFixture.CHECKOUT_DAY2;
import static dev.plumb.analytics.cost.CostFixture.DAY1;
import static dev.plumb.analytics.cost.CostFixture.DAY2;
import static dev.plumb.analytics.cost.CostFixture.LEGACY_DAY1;
import static dev.plumb.analytics.cost.CostFixture.REPORTS_DAY;
import static dev.plumb.analytics.cost.CostFixture.SEARCH_DAY2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.analytics.TimeRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Costs kept up to date by recomputing only what new samples touch give the answers of a full computation. */
class IncrementalCostTest {
    private static final double CENT = 0.005;
    private static final double GIB = 1024.0 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void importingDayByDayGivesTheHandComputedFigures() throws Exception {
        List<String> lines = Files.readAllLines(CostFixture.csv(dir));
        Path day1 = dir.resolve("day1.csv");
        Path day2 = dir.resolve("day2.csv");
        Files.write(day1, lines.stream().filter(l -> !l.contains("2026-03-02T")).toList());
        Files.write(day2, lines.stream().filter(l -> l.startsWith("pod,") || l.contains("2026-03-02T")).toList());
        try (CostEngine engine = CostEngine.open(dir.resolve("data"), CostFixture.pricing())) {
            engine.importUsage(day1);
            Map<String, Double> first = CostEngineTest.daily(engine, CostGroupBy.SERVICE);
            assertThat(first.get("checkout " + DAY1)).isCloseTo(CHECKOUT_DAY1, within(CENT));
            engine.importUsage(day2);
            Map<String, Double> both = CostEngineTest.daily(engine, CostGroupBy.SERVICE);
            assertThat(both).hasSize(6);
            assertThat(both.get("checkout " + DAY1)).isCloseTo(CHECKOUT_DAY1, within(CENT));
            assertThat(both.get("checkout " + DAY2)).isCloseTo(CHECKOUT_DAY2, within(CENT));
            assertThat(both.get("search " + DAY2)).isCloseTo(SEARCH_DAY2, within(CENT));
            assertThat(both.get("reports " + DAY2)).isCloseTo(REPORTS_DAY, within(CENT));
            assertThat(both.get("legacy " + DAY1)).isCloseTo(LEGACY_DAY1, within(CENT));
        }
    }

    @Test
    void aLaterSampleRecomputesThePodsLastHour() {
        try (CostEngine engine = CostEngine.open(dir.resolve("data"), Pricing.defaults())) {
            engine.record(List.of(sample("api-0", "2026-03-01T10:00:00Z"), sample("api-0", "2026-03-01T10:30:00Z")), "api");
            // 10:30 is the last sample: it stands for the gap before it, 30 minutes
            assertThat(podHours(engine)).containsExactly(1.0);
            engine.record(List.of(sample("api-0", "2026-03-01T11:15:00Z")), "api");
            // 10:30 now runs to 11:15 (30 min in hour 10, 15 in hour 11); 11:15 stands for 45 minutes
            assertThat(podHours(engine)).containsExactly(1.0, 1.0);
            CostRow hour11 = hours(engine).get(1);
            assertThat(hour11.cpu()).isCloseTo(0.031611, within(1e-9));
            assertThat(hour11.memory()).isCloseTo(0.004237, within(1e-9));
        }
    }

    @Test
    void doesNotBillAPodForTheDaysItWasGone() {
        try (CostEngine engine = CostEngine.open(dir.resolve("data"), Pricing.defaults())) {
            engine.record(List.of(sample("api-0", "2026-03-01T10:00:00Z"), sample("api-0", "2026-03-01T11:00:00Z"),
                    sample("api-0", "2026-03-04T10:00:00Z")), "api");
            double total = hours(engine).stream().mapToDouble(CostRow::podHours).sum();
            // two hours, then a minute for the sample after three days away (no gap before it within a day)
            assertThat(total).isCloseTo(2 + 1 / 60.0, within(1e-9));
        }
    }

    @Test
    void newPricesRecomputeEverythingOnOpen() {
        Path data = dir.resolve("data");
        try (CostEngine engine = CostEngine.open(data, CostFixture.pricing())) {
            engine.importUsage(CostFixture.csv(dir));
            assertThat(CostEngineTest.daily(engine, CostGroupBy.SERVICE).get("checkout " + DAY2))
                    .isCloseTo(CHECKOUT_DAY2, within(CENT));
        }
        try (CostEngine engine = CostEngine.open(data, Pricing.defaults())) {
            // 3 pods × 24 h × (0.5 × 0.031611 + 1.5 × 0.004237), without the fixture's dearer CPU
            assertThat(CostEngineTest.daily(engine, CostGroupBy.SERVICE).get("checkout " + DAY2))
                    .isCloseTo(1.595592, within(CENT));
        }
    }

    private static UsageSample sample(String pod, String ts) {
        return new UsageSample(pod, "shop", "api", "commerce", null, Map.of(), Instant.parse(ts), null,
                0.5, 1, 0.5 * GIB, GIB, 0, 0, 0);
    }

    private static List<CostRow> hours(CostEngine engine) {
        return engine.costs(CostGroupBy.SERVICE, new TimeRange(DAY1, Instant.parse("2026-03-05T00:00:00Z")),
                CostStep.HOUR);
    }

    private static List<Double> podHours(CostEngine engine) {
        return hours(engine).stream().map(CostRow::podHours).toList();
    }
}
