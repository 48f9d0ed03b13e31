package dev.plumb.analytics.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.StoreOptions;
import dev.plumb.analytics.TimeRange;
import dev.plumb.analytics.telemetry.MetricPoint;
import dev.plumb.analytics.telemetry.MetricType;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import dev.plumb.analytics.telemetry.Temporality;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP usage whose points arrive after newer ones (a backfill, a collector that was offline) is
 * costed by arrival, once, without touching the history that retention left without points.
 */
class LateOtlpUsageTest {
    private static final double GIB = 1024.0 * 1024 * 1024;
    /** Per pod-hour at the default prices: 0.5 core requested × 0.031611 + 1 GiB requested × 0.004237. */
    private static final double HOUR_COST = 0.5 * 0.031611 + 0.004237;
    /** 1 GiB sent within the region, at 0.01 per GiB. */
    private static final double GIB_EGRESS_COST = 0.01;
    private static final Instant TODAY = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
    private static final Instant LATE_DAY = TODAY.minus(Duration.ofDays(10));

    @TempDir
    Path dir;
    private Store store;
    private CostEngine engine;

    @BeforeEach
    void open() {
        // metrics kept longer than the late limit, so that only the cost engine decides what is too old
        store = Store.open(dir, StoreOptions.defaults().withRetention(Duration.ofDays(7), Duration.ofDays(7),
                OtlpUsage.LATE_LIMIT.multipliedBy(2)));
        engine = CostEngine.on(store, Pricing.defaults());
    }

    @AfterEach
    void close() {
        engine.close();
        store.close();
    }

    @Test
    void pointsArrivingTenDaysLateAreCostedExactlyOnce() {
        store.write(hourly("api-0", TODAY.plus(Duration.ofHours(10)), 2, 0));
        assertThat(daily()).containsOnlyKeys(TODAY);
        assertThat(daily().get(TODAY)).isCloseTo(2 * HOUR_COST, within(1e-9));

        // Ten days older than everything derived so far, with a counter that sent 1 GiB an hour.
        store.write(hourly("api-0", LATE_DAY.plus(Duration.ofHours(10)), 4, GIB));
        store.write(hourly("api-1", LATE_DAY.plus(Duration.ofHours(10)), 4, 0));
        engine.refresh();
        Map<Instant, Double> once = daily();
        // 4 samples an hour apart: 4 pod-hours each (the last stands for the gap before it), and
        // the 3 GiB counted between them.
        assertThat(once.get(LATE_DAY)).isCloseTo(8 * HOUR_COST + 3 * GIB_EGRESS_COST, within(1e-9));
        assertThat(once.get(TODAY)).isCloseTo(2 * HOUR_COST, within(1e-9));
        assertThat(podHours(LATE_DAY)).isCloseTo(8.0, within(1e-9));

        engine.refresh();
        engine.refresh();
        assertThat(daily()).isEqualTo(once);
        assertThat(podHours(LATE_DAY)).isCloseTo(8.0, within(1e-9));
    }

    @Test
    void aLatePointBetweenDerivedSamplesSplitsTheirTime() {
        Instant ten = LATE_DAY.plus(Duration.ofHours(10));
        store.write(batch(List.of(gauge("api-0", "k8s.container.cpu_request", ten, 0.5),
                gauge("api-0", "k8s.pod.cpu.usage", ten, 2.0),
                gauge("api-0", "k8s.container.cpu_request", ten.plus(Duration.ofHours(2)), 0.5))));
        store.write(hourly("api-0", TODAY, 1, 0));
        // 10:00 stands for the two hours to 12:00, and 12:00 for the gap before it, both at 2 cores
        // (usage above request)
        assertThat(daily().get(LATE_DAY)).isCloseTo((4 + 4) * 0.031611, within(1e-9));

        // the point at 11:00 arrives after today's: 10:00 now ends at 11:00, and from 11:00 on the
        // pod uses 1 core
        store.write(batch(List.of(gauge("api-0", "k8s.pod.cpu.usage", ten.plus(Duration.ofHours(1)), 1.0))));
        assertThat(daily().get(LATE_DAY)).isCloseTo((2 + 1 + 1) * 0.031611, within(1e-9));
        engine.refresh();
        assertThat(daily().get(LATE_DAY)).isCloseTo((2 + 1 + 1) * 0.031611, within(1e-9));
    }

    @Test
    void keepsTheCostOfSamplesWhosePointsRetentionRemoved() throws Exception {
        store.write(hourly("api-0", LATE_DAY.plus(Duration.ofHours(10)), 3, 0));
        assertThat(daily().get(LATE_DAY)).isCloseTo(3 * HOUR_COST, within(1e-9));
        try (Connection c = store.openConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM metric_points");
        }
        // a point of the same pod, earlier the same day, arrives after its neighbours' points are gone
        store.write(hourly("api-0", LATE_DAY.plus(Duration.ofHours(9)), 1, 0));
        engine.refresh();
        assertThat(daily().get(LATE_DAY)).isCloseTo(4 * HOUR_COST, within(1e-9));
        assertThat(podHours(LATE_DAY)).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void ignoresPointsOlderThanTheLateLimit() {
        store.write(hourly("api-0", TODAY, 1, 0));
        Instant tooOld = TODAY.minus(OtlpUsage.LATE_LIMIT).minus(Duration.ofDays(1));
        store.write(hourly("api-0", tooOld, 2, 0));
        assertThat(daily()).containsOnlyKeys(TODAY);
    }

    private Map<Instant, Double> daily() {
        Map<Instant, Double> out = new TreeMap<>();
        for (CostRow row : rows()) {
            out.merge(row.ts(), row.total(), Double::sum);
        }
        return out;
    }

    private double podHours(Instant day) {
        return rows().stream().filter(r -> r.ts().equals(day)).mapToDouble(CostRow::podHours).sum();
    }

    private List<CostRow> rows() {
        return engine.costs(CostGroupBy.SERVICE, new TimeRange(TODAY.minus(Duration.ofDays(60)),
                TODAY.plus(Duration.ofDays(1))), CostStep.DAY);
    }

    /**
     * {@code hours} samples of {@code pod} an hour apart from {@code from}: 0.5 core and 1 GiB
     * requested, half of each used, and a transmit counter growing by {@code bytesPerHour}.
     */
    private static TelemetryBatch hourly(String pod, Instant from, int hours, double bytesPerHour) {
        List<MetricPoint> points = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            Instant t = from.plus(Duration.ofHours(h));
            points.add(gauge(pod, "k8s.pod.cpu.usage", t, 0.25));
            points.add(gauge(pod, "k8s.container.cpu_request", t, 0.5));
            points.add(gauge(pod, "k8s.pod.memory.working_set", t, 0.5 * GIB));
            points.add(gauge(pod, "k8s.container.memory_request", t, GIB));
            if (bytesPerHour > 0) {
                points.add(point(pod, "k8s.pod.network.io", MetricType.SUM, Temporality.CUMULATIVE, from, t,
                        h * bytesPerHour, Map.of("direction", "transmit")));
            }
        }
        return batch(points);
    }

    private static TelemetryBatch batch(List<MetricPoint> points) {
        return TelemetryBatch.ofMetrics(points);
    }

    private static MetricPoint gauge(String pod, String name, Instant t, double value) {
        return point(pod, name, MetricType.GAUGE, Temporality.UNSPECIFIED, t, t, value, Map.of());
    }

    private static MetricPoint point(String pod, String name, MetricType type, Temporality temporality, Instant start,
                                     Instant t, double value, Map<String, Object> attributes) {
        return new MetricPoint("api", name, "", "", type, temporality, type == MetricType.SUM, nanos(start), nanos(t),
                attributes, Map.of("service.name", "api", "k8s.pod.name", pod, "k8s.namespace.name", "shop"), value,
                0, Double.NaN, Double.NaN, Double.NaN, List.of(), List.of(), List.of());
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
