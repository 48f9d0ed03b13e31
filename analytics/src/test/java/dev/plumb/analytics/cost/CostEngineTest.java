package dev.plumb.analytics.cost;

import static dev.plumb.analytics.cost.CostFixture.BOTH_DAYS;
import static dev.plumb.analytics.cost.CostFixture.CHECKOUT_DAY1;
import static dev.plumb.analytics.cost.CostFixture.CHECKOUT_DAY2;
import static dev.plumb.analytics.cost.CostFixture.DAY1;
import static dev.plumb.analytics.cost.CostFixture.DAY2;
import static dev.plumb.analytics.cost.CostFixture.FIRST_DAY;
import static dev.plumb.analytics.cost.CostFixture.LEGACY_DAY1;
import static dev.plumb.analytics.cost.CostFixture.REPORTS_DAY;
import static dev.plumb.analytics.cost.CostFixture.SEARCH_DAY2;
import static dev.plumb.analytics.cost.CostFixture.SECOND_DAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.analytics.TimeRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostEngineTest {
    private static final double CENT = 0.005;

    @TempDir
    Path dir;
    private CostEngine engine;

    @BeforeEach
    void importFixture() {
        engine = CostEngine.open(dir.resolve("data"), CostFixture.pricing());
        assertThat(engine.importUsage(CostFixture.csv(dir))).isEqualTo(30);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void costsEachServiceEachDayToTheCent() {
        Map<String, Double> byServiceDay = daily(engine, CostGroupBy.SERVICE);
        assertThat(byServiceDay).hasSize(6);
        assertThat(byServiceDay.get("checkout " + DAY1)).isCloseTo(CHECKOUT_DAY1, within(CENT));
        assertThat(byServiceDay.get("checkout " + DAY2)).isCloseTo(CHECKOUT_DAY2, within(CENT));
        assertThat(byServiceDay.get("search " + DAY2)).isCloseTo(SEARCH_DAY2, within(CENT));
        assertThat(byServiceDay.get("reports " + DAY1)).isCloseTo(REPORTS_DAY, within(CENT));
        assertThat(byServiceDay.get("reports " + DAY2)).isCloseTo(REPORTS_DAY, within(CENT));
        assertThat(byServiceDay.get("legacy " + DAY1)).isCloseTo(LEGACY_DAY1, within(CENT));
        assertThat(byServiceDay).doesNotContainKeys("search " + DAY1, "legacy " + DAY2);
    }

    @Test
    void splitsCostByResource() {
        CostRow search = engine.costs(CostGroupBy.SERVICE, SECOND_DAY, CostStep.DAY).stream()
                .filter(r -> r.group().equals("search")).findFirst().orElseThrow();
        assertThat(search.cpu()).isCloseTo(0.9, within(1e-9));
        assertThat(search.memory()).isCloseTo(0.101688, within(1e-9));
        assertThat(search.storage()).isCloseTo(4.8 / 730, within(1e-9));
        assertThat(search.network()).isZero();
        assertThat(search.podHours()).isCloseTo(12, within(1e-9));
        CostRow checkout = engine.costs(CostGroupBy.SERVICE, FIRST_DAY, CostStep.DAY).stream()
                .filter(r -> r.group().equals("checkout")).findFirst().orElseThrow();
        assertThat(checkout.network()).isCloseTo(0.22, within(1e-9));
        assertThat(checkout.podHours()).isCloseTo(48, within(1e-9));
    }

    @Test
    void splitsSamplesAtHourBoundaries() {
        List<CostRow> hours = engine.costs(CostGroupBy.SERVICE, FIRST_DAY, CostStep.HOUR).stream()
                .filter(r -> r.group().equals("reports")).toList();
        assertThat(hours).extracting(CostRow::ts).containsExactly(Instant.parse("2026-03-01T10:00:00Z"),
                Instant.parse("2026-03-01T11:00:00Z"), Instant.parse("2026-03-01T12:00:00Z"));
        assertThat(hours).extracting(CostRow::podHours).containsExactly(0.5, 1.0, 0.5);
        assertThat(hours.get(1).total()).isCloseTo(2 * 0.02 + 4 * 0.004237, within(1e-9));
    }

    @Test
    void rollsUpByTeamAndNamespace() {
        Map<String, Double> teams = daily(engine, CostGroupBy.TEAM);
        assertThat(teams.get("commerce " + DAY2)).isCloseTo(CHECKOUT_DAY2 + SEARCH_DAY2, within(CENT));
        assertThat(teams.get("analytics " + DAY1)).isCloseTo(REPORTS_DAY, within(CENT));
        assertThat(teams.get("default " + DAY1)).isCloseTo(LEGACY_DAY1, within(CENT));
        Map<String, Double> namespaces = daily(engine, CostGroupBy.NAMESPACE);
        assertThat(namespaces.get("shop " + DAY1)).isCloseTo(CHECKOUT_DAY1, within(CENT));
        assertThat(namespaces.get("batch " + DAY2)).isCloseTo(REPORTS_DAY, within(CENT));
    }

    @Test
    void rollsUpByWeekAndMonth() {
        double all = CHECKOUT_DAY1 + CHECKOUT_DAY2 + SEARCH_DAY2 + 2 * REPORTS_DAY + LEGACY_DAY1;
        TimeRange march = new TimeRange(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
        List<CostRow> month = engine.costs(CostGroupBy.TEAM, march, CostStep.parse("1mo"));
        assertThat(month).extracting(CostRow::ts).containsOnly(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(month.stream().mapToDouble(CostRow::total).sum()).isCloseTo(all, within(CENT));
        // 2026-03-01 is a Sunday: it closes the week of Monday 23 February; the 2nd opens the next.
        List<CostRow> weeks = engine.costs(CostGroupBy.SERVICE, march, CostStep.parse("1w")).stream()
                .filter(r -> r.group().equals("checkout")).toList();
        assertThat(weeks).extracting(CostRow::ts).containsExactly(Instant.parse("2026-02-23T00:00:00Z"),
                Instant.parse("2026-03-02T00:00:00Z"));
    }

    @Test
    void driversAddUpToTheDeltaToTheCent() {
        CostDrivers drivers = engine.drivers(null, SECOND_DAY, FIRST_DAY);
        assertThat(drivers.baselineTotal()).isEqualTo(1.64);
        assertThat(drivers.currentTotal()).isEqualTo(3.38);
        assertThat(drivers.delta()).isEqualTo(1.74);
        long cents = drivers.drivers().stream().mapToLong(d -> Math.round(d.delta() * 100)).sum();
        assertThat(cents).isEqualTo(174);
        Map<String, Double> byKind = drivers.drivers().stream()
                .collect(Collectors.toMap(d -> d.service() + " " + d.driver(), CostDriver::delta));
        // checkout: one more pod for 24 h at the baseline's request and price: 24 × (0.5×0.031611 + 1×0.004237)
        assertThat(byKind.get("checkout replica-hours")).isCloseTo(0.48, within(0.011));
        // CPU price 0.031611 → 0.05 on 36 core-hours
        assertThat(byKind.get("checkout prices")).isCloseTo(0.66, within(0.011));
        // memory above request: 36 GiB-hours instead of 24, at 0.004237
        assertThat(byKind.get("checkout usage-above-request")).isCloseTo(0.05, within(0.011));
        assertThat(byKind.get("checkout egress")).isEqualTo(-0.22);
        assertThat(byKind.get("search appeared")).isCloseTo(1.01, within(0.011));
        assertThat(byKind.get("legacy disappeared")).isEqualTo(-0.24);
        assertThat(byKind).doesNotContainKeys("checkout requests", "reports prices");
        CostDriver appeared = drivers.drivers().stream().filter(d -> d.driver().equals("appeared")).findFirst().orElseThrow();
        assertThat(appeared.explanation()).startsWith("search appeared (12.0 pod-hours").endsWith(": +1.01");
        assertThat(drivers.drivers().get(0).service()).isEqualTo("search");
    }

    @Test
    void driversOfOneServiceOnly() {
        CostDrivers checkout = engine.drivers("checkout", SECOND_DAY, FIRST_DAY);
        assertThat(checkout.baselineTotal()).isEqualTo(1.28);
        assertThat(checkout.currentTotal()).isEqualTo(2.26);
        assertThat(checkout.drivers()).allMatch(d -> d.service().equals("checkout"));
        assertThat(checkout.drivers().stream().mapToLong(d -> Math.round(d.delta() * 100)).sum()).isEqualTo(98);
        CostDriver replicas = checkout.drivers().stream().filter(d -> d.driver().equals("replica-hours")).findFirst()
                .orElseThrow();
        assertThat(replicas.explanation()).isEqualTo(
                "checkout ran 3.0 pods on average instead of 2.0 (72.0 pod-hours instead of 48.0): +0.48");
        assertThatThrownBy(() -> engine.drivers("nope", SECOND_DAY, FIRST_DAY)).hasMessageContaining("'nope'");
    }

    @Test
    void benchmarksAgainstTeamPeersPerThousandRequests() {
        try (CostEngine withTraffic = new CostEngine(reopen(), CostFixture.pricing(),
                range -> Map.of("checkout", 20_000L, "search", 1_000L))) {
            CostBenchmark checkout = withTraffic.benchmark("checkout", SECOND_DAY);
            assertThat(checkout.peerGroup()).isEqualTo("team commerce");
            assertThat(checkout.costPerHour()).isCloseTo(CHECKOUT_DAY2 / 24, within(1e-9));
            assertThat(checkout.costPer1kRequests()).isCloseTo(CHECKOUT_DAY2 / 20, within(1e-9));
            assertThat(checkout.rank()).isEqualTo(1);
            assertThat(checkout.of()).isEqualTo(2);
            assertThat(checkout.peers()).extracting(CostBenchmark.Peer::service).containsExactly("search");
            // search ran 12 hours of the day: its rate is per hour running
            assertThat(checkout.peers().get(0).costPerHour()).isCloseTo(SEARCH_DAY2 / 12, within(1e-9));
            assertThat(checkout.medianCostPer1kRequests()).isCloseTo((CHECKOUT_DAY2 / 20 + SEARCH_DAY2) / 2, within(1e-9));
        }
    }

    @Test
    void importingTheSameFileTwiceChangesNothing() {
        engine.importUsage(CostFixture.csv(dir));
        assertThat(daily(engine, CostGroupBy.SERVICE).get("checkout " + DAY1)).isCloseTo(CHECKOUT_DAY1, within(CENT));
    }

    @Test
    void parquetImportGivesTheSameCosts() throws Exception {
        Path parquet = dir.resolve("usage.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM read_csv('" + CostFixture.csv(dir) + "', header = true)) TO '" + parquet
                    + "' (FORMAT parquet)");
        }
        try (CostEngine fromParquet = CostEngine.open(dir.resolve("parquet-data"), CostFixture.pricing())) {
            assertThat(fromParquet.importUsage(parquet)).isEqualTo(30);
            Map<String, Double> fromCsv = daily(engine, CostGroupBy.SERVICE);
            Map<String, Double> parquetCosts = daily(fromParquet, CostGroupBy.SERVICE);
            assertThat(parquetCosts).containsOnlyKeys(fromCsv.keySet());
            // DuckDB sums in parallel, so the last bits of a double may differ between runs.
            fromCsv.forEach((key, total) -> assertThat(parquetCosts.get(key)).as(key).isCloseTo(total, within(1e-9)));
        }
    }

    @Test
    void rejectsAnImportWithAnUnknownColumn() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "pod,ts,cpu_cores\np-1,2026-03-01T00:00:00Z,1\n");
        assertThatThrownBy(() -> engine.importUsage(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown column 'cpu_cores'")
                .hasMessageContaining("cpu_request_cores");
        Path noTs = Files.writeString(dir.resolve("nots.csv"), "pod,cpu_request_cores\np-1,1\n");
        assertThatThrownBy(() -> engine.importUsage(noTs)).hasMessageContaining("no 'ts' column");
    }

    @Test
    void exportsFocusRowsThatAddUpToTheCosts() throws Exception {
        Path csv = dir.resolve("focus.csv");
        long rows = engine.export(BOTH_DAYS, FocusExport.Format.CSV, csv);
        assertThat(rows).isGreaterThan(0);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).startsWith("BilledCost,EffectiveCost,ListCost,ContractedCost,BillingCurrency,");
        assertThat(lines).hasSize((int) rows + 1);
        Path parquet = dir.resolve("focus.parquet");
        assertThat(engine.export(BOTH_DAYS, FocusExport.Format.PARQUET, parquet)).isEqualTo(rows);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             var r = s.executeQuery("SELECT sum(BilledCost), count(DISTINCT ServiceName), any_value(BillingCurrency)"
                     + " FROM read_parquet('" + parquet + "') WHERE ServiceName = 'search'")) {
            r.next();
            assertThat(r.getDouble(1)).isCloseTo(SEARCH_DAY2, within(1e-9));
            assertThat(r.getString(3)).isEqualTo("USD");
        }
    }

    private Connection reopen() {
        engine.close();
        try {
            return DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("data").resolve("plumb.duckdb"));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Double> daily(CostEngine engine, CostGroupBy groupBy) {
        return engine.costs(groupBy, BOTH_DAYS, CostStep.DAY).stream()
                .collect(Collectors.toMap(r -> r.group() + " " + r.ts(), CostRow::total));
    }
}
