package dev.plumb.analytics.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.analytics.TimeRange;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timings of the cost engine on generated usage: {@code -Dplumb.cost.bench.days=N} days of
 * hourly samples for 500 services × 5 pods, written to Parquet, imported, materialised and
 * queried. Run with
 * {@code ./mvnw -B -o -pl analytics test -Dtest=CostBenchTest -Dplumb.cost.bench.days=30}.
 */
@EnabledIfSystemProperty(named = "plumb.cost.bench.days", matches = "\\d+")
class CostBenchTest {
    @TempDir
    Path dir;

    /** Hourly samples of 500 services × 5 pods for hours [fromHour, toHour) of 2026. */
    private static void generate(Path parquet, int fromHour, int toHour) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT 'svc-' || (p // 5) || '-' || (p % 5) AS pod, 'ns-' || (p // 50) AS namespace,"
                    + " 'svc-' || (p // 5) AS service, TIMESTAMP '2026-01-01' + INTERVAL (h) HOUR AS ts,"
                    + " 0.1 + (p % 7) * 0.05 * (1 + sin(h / 24.0)) AS cpu_usage_cores, 0.25 AS cpu_request_cores,"
                    + " 268435456 * (1 + (p % 3)) AS memory_usage_bytes, 536870912 AS memory_request_bytes,"
                    + " 1073741824 AS storage_bytes, 1048576 * (p % 11) AS egress_region_bytes"
                    + " FROM range(" + fromHour + ", " + toHour + ") u(h), range(2500) t(p)) TO '" + parquet
                    + "' (FORMAT parquet)");
        }
    }

    /**
     * CPU time of this process, DuckDB's native threads included: on a machine shared with other
     * builds, wall time says more about the neighbours than about the engine.
     */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @Test
    void timesImportMaterialisationAndQueries() throws Exception {
        int days = Integer.getInteger("plumb.cost.bench.days");
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Path parquet = dir.resolve("usage.parquet");
        Path nextHour = dir.resolve("next-hour.parquet");
        generate(parquet, 0, days * 24);
        generate(nextHour, days * 24, days * 24 + 1);
        try (CostEngine engine = CostEngine.open(dir.resolve("data"), Pricing.defaults())) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            long n = engine.importUsage(parquet);
            long t1 = System.nanoTime();
            long c1 = cpuNanos();
            engine.refresh();
            long t2 = System.nanoTime();
            long c2 = cpuNanos();
            TimeRange all = new TimeRange(start, start.plus(Duration.ofDays(days)));
            int rows = engine.costs(CostGroupBy.SERVICE, all, CostStep.DAY).size();
            long t3 = System.nanoTime();
            long c3 = cpuNanos();
            Instant mid = start.plus(Duration.ofDays(days / 2));
            CostDrivers d = engine.drivers(null, new TimeRange(mid, all.to()), new TimeRange(start, mid));
            long t4 = System.nanoTime();
            TimeRange lastMonth = new TimeRange(all.to().minus(Duration.ofDays(Math.min(30, days / 2))), all.to());
            TimeRange monthBefore = new TimeRange(lastMonth.from().minus(Duration.between(lastMonth.from(),
                    lastMonth.to())), lastMonth.from());
            long t5 = System.nanoTime();
            CostDrivers months = engine.drivers(null, lastMonth, monthBefore);
            long t6 = System.nanoTime();
            engine.importUsage(nextHour);
            engine.refresh();
            long t7 = System.nanoTime();
            System.out.printf("cost bench: %d days, %d samples; import %d ms, materialise %d ms, cost per service per"
                    + " day (%d rows) %d ms, drivers between halves (%d drivers) %d ms, drivers between the last two"
                    + " %d-day periods %d ms, one more hour (2,500 samples) imported and materialised %d ms%n", days, n,
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, rows, (t3 - t2) / 1_000_000, d.drivers().size(),
                    (t4 - t3) / 1_000_000, Duration.between(lastMonth.from(), lastMonth.to()).toDays(),
                    (t6 - t5) / 1_000_000, (t7 - t6) / 1_000_000);
            System.out.printf("cost bench: %d days, CPU time of the process (all threads, DuckDB's included): import %d ms,"
                    + " materialise %d ms, cost per service per day %d ms; load average %.1f%n", days, (c1 - c0) / 1_000_000,
                    (c2 - c1) / 1_000_000, (c3 - c2) / 1_000_000,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            assertThat(rows).isEqualTo(500 * days);
            assertThat(months.drivers()).isNotEmpty();
            // the new hour is costed: 2,500 more pod-hours
            double podHours = engine.costs(CostGroupBy.TEAM, new TimeRange(start, all.to().plus(Duration.ofHours(1))),
                    CostStep.parse("1mo")).stream().mapToDouble(CostRow::podHours).sum();
            assertThat(podHours).isCloseTo(2500.0 * (days * 24 + 1), org.assertj.core.api.Assertions.within(1e-3));
        }
    }
}
