package dev.plumb.analytics.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.analytics.TimeRange;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy adapter's declared resources cost the hours in which the service has no usage,
 * worked out by hand at the default prices (0.031611 per core-hour, 0.004237 per GiB-hour,
 * 0.04 per GiB-month of 730 hours):
 * <ul>
 * <li>a declared replica-hour of payment-service (0.5 core, 0.5 GiB, 2 GiB of volumes):
 *     0.5 × 0.031611 + 0.5 × 0.004237 + 2 × 0.04 / 730 = 0.018033589; three replicas: 0.054100767;</li>
 * <li>its usage hour 12:00 (one pod requesting 1 core and 1 GiB, using less):
 *     0.031611 + 0.004237 = 0.035848;</li>
 * <li>declared 10:00 to 14:00 (replicas 0 from 14:00 ends it), usage 12:00 to 13:00: declared hours
 *     10, 11 and 13 = 3 × 0.054100767 = 0.162302301; the day 0.198150301.</li>
 * </ul>
 */
class DeclaredCostTest {
    private static final double CENT = 0.005;
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final Instant TEN = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant TWELVE = Instant.parse("2026-11-20T12:00:00Z");
    private static final Instant FOURTEEN = Instant.parse("2026-11-20T14:00:00Z");
    private static final TimeRange DAY = new TimeRange(Instant.parse("2026-11-20T00:00:00Z"),
            Instant.parse("2026-11-21T00:00:00Z"));

    @TempDir
    Path dir;

    private static List<ResourceDeclaration> declaredFromTenToFourteen() {
        return List.of(
                new ResourceDeclaration("payment-service", "default", "payments", 3, 0.5, 0.5, 2, TEN),
                new ResourceDeclaration("payment-service", "default", "payments", 0, 0.5, 0.5, 2, FOURTEEN));
    }

    private static UsageSample usageAtTwelve() {
        return new UsageSample("payment-service-0", "default", "payment-service", "payments", "", null, TWELVE,
                3600.0, 0.2, 1.0, 0.25 * GIB, 1.0 * GIB, 0, 0, 0);
    }

    @Test
    void declaredHoursCostTheDeclaredRequestsUntilUsageArrives() {
        try (CostEngine engine = CostEngine.open(dir.resolve("data"), Pricing.defaults())) {
            engine.declare(declaredFromTenToFourteen());
            List<CostRow> before = engine.costs(CostGroupBy.SERVICE, DAY, CostStep.HOUR);
            assertThat(before).extracting(r -> r.ts().toString(), CostRow::source)
                    .containsExactly(tuple("2026-11-20T10:00:00Z", "declared"), tuple("2026-11-20T11:00:00Z", "declared"),
                            tuple("2026-11-20T12:00:00Z", "declared"), tuple("2026-11-20T13:00:00Z", "declared"));
            assertThat(before.get(0).total()).isCloseTo(0.054100767, within(1e-9));
            assertThat(before.get(0).podHours()).isCloseTo(3.0, within(1e-9));

            engine.record(List.of(usageAtTwelve()), "api");
            List<CostRow> after = engine.costs(CostGroupBy.SERVICE, DAY, CostStep.HOUR);
            assertThat(after).extracting(r -> r.ts().toString(), CostRow::source)
                    .containsExactly(tuple("2026-11-20T10:00:00Z", "declared"), tuple("2026-11-20T11:00:00Z", "declared"),
                            tuple("2026-11-20T12:00:00Z", "usage"), tuple("2026-11-20T13:00:00Z", "declared"));
            assertThat(after.get(2).total()).isCloseTo(0.035848, within(1e-9));

            List<CostRow> daily = engine.costs(CostGroupBy.SERVICE, DAY, CostStep.DAY);
            assertThat(daily).extracting(CostRow::group, CostRow::source)
                    .containsExactly(tuple("payment-service", "usage"), tuple("payment-service", "declared"));
            assertThat(daily.get(1).total()).isCloseTo(0.162302301, within(1e-9));
            assertThat(daily.get(1).total()).isCloseTo(0.16, within(CENT));
            assertThat(daily.get(0).total() + daily.get(1).total()).isCloseTo(0.20, within(CENT));
            assertThat(engine.costs(CostGroupBy.TEAM, DAY, CostStep.DAY)).extracting(CostRow::group).containsOnly("payments");
        }
    }

    @Test
    void aDeclarationAfterTheUsageCostsOnlyTheHoursWithoutIt() {
        try (CostEngine engine = CostEngine.open(dir.resolve("data"), Pricing.defaults())) {
            engine.record(List.of(usageAtTwelve()), "api");
            engine.costs(CostGroupBy.SERVICE, DAY, CostStep.DAY);
            engine.declare(declaredFromTenToFourteen());
            double total = engine.costs(CostGroupBy.SERVICE, DAY, CostStep.DAY).stream().mapToDouble(CostRow::total).sum();
            assertThat(total).isCloseTo(0.198150301, within(1e-9));
        }
    }

    @Test
    void aNewDeclarationReplacesTheOldOneFromItsStart() {
        try (CostEngine engine = CostEngine.open(dir.resolve("data"), Pricing.defaults())) {
            engine.declare(declaredFromTenToFourteen());
            engine.costs(CostGroupBy.SERVICE, DAY, CostStep.DAY);
            // from 12:00 one replica instead of three: hours 12 and 13 cost a third
            engine.declare(List.of(new ResourceDeclaration("payment-service", "default", "payments", 1, 0.5, 0.5, 2,
                    TWELVE)));
            List<CostRow> hours = engine.costs(CostGroupBy.SERVICE, DAY, CostStep.HOUR);
            assertThat(hours).extracting(CostRow::podHours).containsExactly(3.0, 3.0, 1.0, 1.0);
            assertThat(hours.stream().mapToDouble(CostRow::total).sum()).isCloseTo(8 * 0.018033589, within(1e-9));
            assertThat(engine.declarations()).singleElement()
                    .satisfies(d -> assertThat(d.effectiveFrom()).isEqualTo(FOURTEEN))
                    .satisfies(d -> assertThat(d.replicas()).isZero());
        }
    }

    @Test
    void anHourlySeriesFromHalfPastShowsTheWholeFirstHour() {
        try (CostEngine engine = CostEngine.open(dir.resolve("data"), Pricing.defaults())) {
            engine.record(List.of(
                    new UsageSample("api-0", "default", "api", null, "", null, TEN, 3600.0, 1, 1, GIB, GIB, 0, 0, 0),
                    new UsageSample("api-0", "default", "api", null, "", null, TEN.plusSeconds(3600), 3600.0, 1, 1, GIB,
                            GIB, 0, 0, 0)), "api");
            TimeRange halfPast = new TimeRange(Instant.parse("2026-11-20T10:30:00Z"), Instant.parse("2026-11-20T12:30:00Z"));
            // before whole buckets, the 10:00 hour (which starts before 10:30) was left out
            List<CostRow> hourly = engine.costs(CostGroupBy.SERVICE, halfPast, CostStep.HOUR);
            assertThat(hourly).extracting(r -> r.ts().toString())
                    .containsExactly("2026-11-20T10:00:00Z", "2026-11-20T11:00:00Z");
            assertThat(hourly.get(0).total()).isCloseTo(0.035848, within(1e-9));
            List<CostRow> daily = engine.costs(CostGroupBy.SERVICE, halfPast, CostStep.DAY);
            assertThat(daily).extracting(r -> r.ts().toString()).containsExactly("2026-11-20T00:00:00Z");
            assertThat(daily.get(0).total()).isCloseTo(0.071696, within(1e-9));
            assertThat(CostStep.DAY.widen(halfPast)).isEqualTo(DAY);
            assertThat(CostStep.parse("1w").widen(halfPast).from()).isEqualTo(Instant.parse("2026-11-16T00:00:00Z"));
            assertThat(CostStep.parse("1mo").widen(halfPast)).isEqualTo(new TimeRange(
                    Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z")));
        }
    }
}
