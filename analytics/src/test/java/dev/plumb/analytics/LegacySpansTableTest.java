package dev.plumb.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.analytics.red.RedPoint;
import dev.plumb.analytics.traces.TraceTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory written before {@code span_rows}: its spans table (text ids, kind and status
 * by name, an index on the trace id) moves into {@code span_rows} at open, once, and reads the
 * same through the {@code spans} view.
 */
class LegacySpansTableTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final long T0 = Instant.now().minus(Duration.ofMinutes(30)).getEpochSecond() * 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void spansOfTheOldTableAreReadTheSameAfterTheUpgrade() throws Exception {
        Files.createDirectories(dir);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(Store.DATABASE_FILE));
             Statement s = c.createStatement()) {
            // The table as the first release created it, with the index it had then.
            s.execute("""
                    CREATE TABLE spans (trace_id VARCHAR NOT NULL, span_id VARCHAR NOT NULL,
                        parent_span_id VARCHAR NOT NULL, service VARCHAR NOT NULL, name VARCHAR NOT NULL,
                        kind VARCHAR NOT NULL, start_nanos BIGINT NOT NULL, end_nanos BIGINT NOT NULL,
                        duration_nanos BIGINT NOT NULL, status VARCHAR NOT NULL, status_message VARCHAR NOT NULL,
                        code_function VARCHAR NOT NULL, attributes JSON NOT NULL, resource JSON NOT NULL,
                        scope_name VARCHAR NOT NULL)""");
            s.execute("CREATE INDEX spans_by_trace ON spans (trace_id)");
            s.execute("INSERT INTO spans VALUES"
                    + " ('" + TRACE + "', '00f067aa0ba902b7', '', 'frontend', 'GET /checkout', 'SERVER', " + T0 + ", "
                    + (T0 + 40_000_000) + ", 40000000, 'OK', '', '', '{\"http.route\":\"/checkout\"}',"
                    + " '{\"service.name\":\"frontend\"}', 'io.opentelemetry.http'),"
                    + " ('" + TRACE + "', 'ffffffffffffffff', '00f067aa0ba902b7', 'orders', 'POST /orders', 'SERVER', "
                    + (T0 + 1_000_000) + ", " + (T0 + 31_000_000) + ", 30000000, 'ERROR', 'card declined',"
                    + " 'shop.Orders.place', '{}', '{\"service.name\":\"orders\"}', 'plumb')");
        }
        try (Store store = Store.open(dir)) {
            TraceTree tree = store.trace(TRACE).orElseThrow();
            assertThat(tree.spans()).singleElement().satisfies(root -> {
                assertThat(root.spanId()).isEqualTo("00f067aa0ba902b7");
                assertThat(root.parentSpanId()).isEmpty();
                assertThat(root.kind()).isEqualTo("SERVER");
                assertThat(root.status()).isEqualTo("OK");
                assertThat(root.attributes()).containsEntry("http.route", "/checkout");
                assertThat(root.children()).singleElement().satisfies(child -> {
                    assertThat(child.spanId()).isEqualTo("ffffffffffffffff");
                    assertThat(child.status()).isEqualTo("ERROR");
                    assertThat(child.statusMessage()).isEqualTo("card declined");
                });
            });
            TimeRange hour = new TimeRange(Instant.ofEpochSecond(0, T0).minusSeconds(60),
                    Instant.ofEpochSecond(0, T0).plusSeconds(3600));
            // The query tables are filled from the moved rows: one request, failed, for orders.
            List<RedPoint> red = store.red("orders", hour, Duration.ofHours(2));
            assertThat(red.stream().mapToLong(RedPoint::requests).sum()).isEqualTo(1);
            assertThat(red.stream().mapToLong(RedPoint::errors).sum()).isEqualTo(1);
            try (Connection c = store.openConnection(); Statement s = c.createStatement()) {
                assertThat(one(s, "SELECT count(*) FROM span_rows")).isEqualTo("2");
                assertThat(one(s, "SELECT table_type FROM information_schema.tables WHERE table_name = 'spans'"))
                        .isEqualTo("VIEW");
                assertThat(one(s, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'spans_legacy'"))
                        .isEqualTo("0");
                assertThat(one(s, "SELECT code_function || '|' || resource || '|' || scope_name FROM spans"
                        + " WHERE span_id = 'ffffffffffffffff'")).isEqualTo("shop.Orders.place|{\"service.name\":\"orders\"}|plumb");
            }
        }
        // Opening again moves nothing twice.
        try (Store store = Store.open(dir); Connection c = store.openConnection(); Statement s = c.createStatement()) {
            assertThat(one(s, "SELECT count(*) FROM spans")).isEqualTo("2");
        }
    }

    private static String one(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
