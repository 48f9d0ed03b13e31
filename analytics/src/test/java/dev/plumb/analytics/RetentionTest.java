package dev.plumb.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.analytics.telemetry.MetricPoint;
import dev.plumb.analytics.telemetry.MetricType;
import dev.plumb.analytics.telemetry.SpanEvent;
import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import dev.plumb.analytics.telemetry.Temporality;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    @TempDir
    Path dataDir;

    private static final Instant NOW = Instant.now();

    private static TelemetryBatch aged(Duration age, String id) {
        long t = CheckoutFixture.nanos(NOW.minus(age));
        return new TelemetryBatch(
                List.of(CheckoutFixture.span(id, id.substring(16), "", "svc", "op", SpanKind.SERVER, t, 1_000,
                        StatusCode.UNSET, Map.of(), List.of(new SpanEvent("e", t, Map.of())))),
                List.of(CheckoutFixture.log(t, "svc", 9, "INFO", "hello", id, id.substring(16), Map.of())),
                List.of(new MetricPoint("svc", "k8s.pod.cpu.usage", "", "{cpu}", MetricType.GAUGE,
                        Temporality.UNSPECIFIED, false, t, t, Map.of(), Map.of(), 0.5, 0, Double.NaN, Double.NaN,
                        Double.NaN, List.of(), List.of(), List.of())));
    }

    private static long rows(Store store, String table) throws Exception {
        return StoreIngestTest.count(store, "SELECT count(*) FROM " + table);
    }

    @Test
    void deletesEachSignalAfterItsOwnRetention() throws Exception {
        try (Store store = Store.open(dataDir)) {
            store.write(aged(Duration.ofDays(1), "0000000000000000000000000000000a"));
            store.write(aged(Duration.ofDays(8), "0000000000000000000000000000000b"));
            store.write(aged(Duration.ofDays(31), "0000000000000000000000000000000c"));

            Map<String, Long> deleted = store.enforceRetention();

            // Traces and logs: 7 days, so the 8- and 31-day-old rows go. Metrics: 30 days.
            assertThat(deleted).containsEntry("spans", 2L).containsEntry("span_events", 2L)
                    .containsEntry("logs", 2L).containsEntry("metric_points", 1L);
            assertThat(rows(store, "spans")).isEqualTo(1);
            assertThat(rows(store, "logs")).isEqualTo(1);
            assertThat(rows(store, "metric_points")).isEqualTo(2);
            assertThat(store.trace("0000000000000000000000000000000a")).isPresent();
            assertThat(store.trace("0000000000000000000000000000000b")).isEmpty();
        }
    }

    @Test
    void appliesConfiguredRetentionWhenItOpens() throws Exception {
        try (Store store = Store.open(dataDir)) {
            store.write(aged(Duration.ofHours(3), "0000000000000000000000000000000d"));
            store.write(aged(Duration.ofMinutes(10), "0000000000000000000000000000000e"));
        }
        StoreOptions oneHour = StoreOptions.defaults()
                .withRetention(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));
        try (Store store = Store.open(dataDir, oneHour)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            // The sweep at open runs in the background, table after table.
            while (rows(store, "spans") + rows(store, "logs") + rows(store, "metric_points") > 3
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(rows(store, "spans")).isEqualTo(1);
            assertThat(rows(store, "logs")).isEqualTo(1);
            assertThat(rows(store, "metric_points")).isEqualTo(1);
        }
    }
}
