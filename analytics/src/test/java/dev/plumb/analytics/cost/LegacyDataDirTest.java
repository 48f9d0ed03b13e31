package dev.plumb.analytics.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.analytics.TimeRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory written before the pod dictionary keeps its usage and gets its costs recomputed. */
class LegacyDataDirTest {
    @TempDir
    Path dir;

    @Test
    void samplesOfTheStringKeyedTablesAreCostedAfterTheUpgrade() throws Exception {
        Files.createDirectories(dir);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("plumb.duckdb"));
             Statement s = c.createStatement()) {
            // the tables as the previous release created them
            s.execute("""
                    CREATE TABLE cost_usage (pod VARCHAR NOT NULL, namespace VARCHAR NOT NULL, service VARCHAR NOT NULL,
                        team VARCHAR NOT NULL, node_pool VARCHAR NOT NULL, labels JSON NOT NULL, ts TIMESTAMP NOT NULL,
                        interval_s DOUBLE, cpu_usage DOUBLE NOT NULL, cpu_request DOUBLE NOT NULL,
                        memory_usage DOUBLE NOT NULL, memory_request DOUBLE NOT NULL, storage DOUBLE NOT NULL,
                        egress_region DOUBLE NOT NULL, egress_internet DOUBLE NOT NULL, source VARCHAR NOT NULL)""");
            s.execute("CREATE TABLE cost_pod_hour (hour TIMESTAMP, pod VARCHAR, total_cost DOUBLE)");
            s.execute("CREATE TABLE cost_dirty (pod VARCHAR NOT NULL, from_ts TIMESTAMP NOT NULL)");
            s.execute("CREATE TABLE cost_service_day (day TIMESTAMP, service VARCHAR, total_cost DOUBLE)");
            s.execute("INSERT INTO cost_usage VALUES"
                    + " ('api-0', 'shop', 'api', 'web', '', '{}', '2026-03-01 10:00:00', 3600, 1, 1, 0, 1073741824, 0, 0, 0, 'import'),"
                    + " ('api-0', 'shop', 'api', 'web', '', '{}', '2026-03-01 11:00:00', 3600, 2, 1, 0, 1073741824, 0, 0, 0, 'import')");
        }
        try (CostEngine engine = CostEngine.open(dir, Pricing.defaults())) {
            List<CostRow> rows = engine.costs(CostGroupBy.TEAM, new TimeRange(Instant.parse("2026-03-01T00:00:00Z"),
                    Instant.parse("2026-03-02T00:00:00Z")), CostStep.DAY);
            // 10:00: 1 core and 1 GiB, 0.035848; 11:00: 2 cores (usage above request) and 1 GiB, 0.067459
            assertThat(rows).singleElement().satisfies(r -> {
                assertThat(r.group()).isEqualTo("web");
                assertThat(r.total()).isCloseTo(0.103307, within(1e-9));
            });
        }
    }
}
