package dev.plumb.demo.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The history the simulator sends at start, read back from the OTLP request it builds. */
class UsageBackfillTest {
    private static final Instant NOW = Instant.parse("2026-11-26T14:32:41Z");
    private static final ClusterStory STORY = ClusterStory.at(NOW);
    private static final Instant HOUR = Instant.parse("2026-11-26T14:00:00Z");

    private final Map<String, ResourceMetrics> byPod = ExportMetricsServiceRequest.parseFrom(
                    UsageBackfill.request(STORY).toByteArray())
            .getResourceMetricsList().stream()
            .collect(Collectors.toMap(r -> attribute(r.getResource().getAttributesList(), "k8s.pod.name"), r -> r));

    UsageBackfillTest() throws Exception {
    }

    @Test
    void backfillsFourteenDaysOfHourlySamplesForEveryPodThatRan() {
        SimulatedPod scaledUp = STORY.pods().stream()
                .filter(p -> p.startedAt().equals(HOUR.minus(Duration.ofDays(3)))).findFirst().orElseThrow();
        assertThat(byPod).containsOnlyKeys(STORY.pods().stream().map(SimulatedPod::podName).toList());

        for (SimulatedPod pod : STORY.pods()) {
            Instant first = pod == scaledUp ? HOUR.minus(Duration.ofDays(3)) : HOUR.minus(Duration.ofDays(14));
            List<Instant> hourly = new ArrayList<>();
            for (Instant t = first; t.isBefore(HOUR); t = t.plus(Duration.ofHours(1))) {
                hourly.add(t);
            }
            assertThat(hourly).hasSize(pod == scaledUp ? 3 * 24 : 14 * 24);
            for (Metric metric : metrics(pod.podName())) {
                assertThat(times(metric)).as("%s of %s", metric.getName(), pod.podName()).isEqualTo(hourly);
            }
        }
        assertThat(metrics(scaledUp.podName())).extracting(Metric::getName).containsExactly("k8s.pod.cpu.usage",
                "k8s.pod.memory.working_set", "k8s.container.cpu_request", "k8s.container.memory_request",
                "k8s.pod.network.io");
        assertThat(scaledUp.service()).isEqualTo("payment");
    }

    @Test
    void paymentScaledFromTwoToThreePodsThreeDaysAgoAndStoppedRunningAboveItsRequest() {
        Map<Instant, List<Double>> cpuByHour = new TreeMap<>();
        for (SimulatedPod pod : pods("payment")) {
            for (NumberDataPoint p : metric(pod.podName(), "k8s.pod.cpu.usage").getGauge().getDataPointsList()) {
                cpuByHour.computeIfAbsent(time(p), t -> new ArrayList<>()).add(p.getAsDouble());
            }
        }
        Instant scaled = HOUR.minus(Duration.ofDays(3));
        cpuByHour.forEach((hour, cpu) -> assertThat(cpu).as("payment pods at %s", hour)
                .hasSize(hour.isBefore(scaled) ? 2 : 3));
        // the weekday afternoon before the scaling ran above the 0.5-core request, the one after did not
        assertThat(cpuByHour.get(Instant.parse("2026-11-19T14:00:00Z"))).allSatisfy(c -> assertThat(c).isGreaterThan(0.55));
        assertThat(cpuByHour.get(Instant.parse("2026-11-24T14:00:00Z"))).allSatisfy(c -> assertThat(c).isLessThan(0.5));
    }

    @Test
    void inventoryVolumesGrewFromFortyToEightyGibTwoDaysAgo() {
        Instant expanded = HOUR.minus(Duration.ofDays(2));
        for (SimulatedPod pod : pods("inventory")) {
            Metric volume = metric(pod.podName(), "k8s.volume.capacity");
            assertThat(attribute(volume.getGauge().getDataPoints(0).getAttributesList(), "k8s.volume.name"))
                    .isEqualTo("inventory-data");
            for (NumberDataPoint p : volume.getGauge().getDataPointsList()) {
                assertThat(p.getAsInt()).isEqualTo(time(p).isBefore(expanded) ? 40L << 30 : 80L << 30);
            }
        }
        assertThat(pods("inventory")).extracting(SimulatedPod::podName).containsExactly("inventory-0", "inventory-1");
    }

    @Test
    void frontendRanAtManyTimesItsUsualCpuOnTheSaleDay() {
        Instant saleDay = Instant.parse("2026-11-20T00:00:00Z");
        assertThat(STORY.saleDay()).isEqualTo(saleDay);
        Map<Instant, Double> coreHoursPerDay = new TreeMap<>();
        for (SimulatedPod pod : pods("frontend")) {
            for (NumberDataPoint p : metric(pod.podName(), "k8s.pod.cpu.usage").getGauge().getDataPointsList()) {
                coreHoursPerDay.merge(time(p).truncatedTo(ChronoUnit.DAYS), p.getAsDouble(), Double::sum);
            }
        }
        double sale = coreHoursPerDay.get(saleDay);
        assertThat(sale).isGreaterThan(6 * coreHoursPerDay.get(saleDay.minus(Duration.ofDays(1))));
        assertThat(sale).isGreaterThan(6 * coreHoursPerDay.get(saleDay.plus(Duration.ofDays(1))));
    }

    @Test
    void transmitCounterIsCumulativeFromThePodsFirstSample() {
        SimulatedPod pod = pods("checkout").get(0);
        Metric network = metric(pod.podName(), "k8s.pod.network.io");
        assertThat(network.getSum().getIsMonotonic()).isTrue();
        List<NumberDataPoint> points = network.getSum().getDataPointsList();
        assertThat(points.get(0).getAsInt()).isZero();
        assertThat(points).allSatisfy(p -> {
            assertThat(p.getStartTimeUnixNano()).isEqualTo(points.get(0).getTimeUnixNano());
            assertThat(attribute(p.getAttributesList(), "direction")).isEqualTo("transmit");
        });
        for (int i = 1; i < points.size(); i++) {
            assertThat(points.get(i).getAsInt()).isGreaterThan(points.get(i - 1).getAsInt());
        }
    }

    private List<SimulatedPod> pods(String service) {
        return STORY.pods().stream().filter(p -> p.service().equals(service)).toList();
    }

    private List<Metric> metrics(String pod) {
        return byPod.get(pod).getScopeMetrics(0).getMetricsList();
    }

    private Metric metric(String pod, String name) {
        return metrics(pod).stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    }

    private static List<Instant> times(Metric metric) {
        List<NumberDataPoint> points = metric.hasGauge() ? metric.getGauge().getDataPointsList()
                : metric.getSum().getDataPointsList();
        return points.stream().map(UsageBackfillTest::time).toList();
    }

    private static Instant time(NumberDataPoint p) {
        return Instant.ofEpochSecond(0, p.getTimeUnixNano());
    }

    private static String attribute(List<KeyValue> attributes, String key) {
        return attributes.stream().filter(a -> a.getKey().equals(key)).map(a -> a.getValue().getStringValue())
                .findFirst().orElseThrow();
    }
}
