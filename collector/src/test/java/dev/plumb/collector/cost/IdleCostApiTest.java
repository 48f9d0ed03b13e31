package dev.plumb.collector.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.analytics.cost.CostEngine;
import dev.plumb.analytics.cost.Pricing;
import dev.plumb.collector.ApiClient;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle cost through the API of two running collectors, one sent pod usage and node capacity as
 * OTLP from the real OpenTelemetry SDK, the other had both imported from CSV. The figures are
 * analytics' {@code IdleCostTest}: one node of 4 cores and 16 GiB for 2 hours (cluster 0.388472
 * at the default prices), api 0.088644, worker 0.128729, a pod without a namespace 0.040085
 * (unallocated), idle 0.063222 CPU + 0.067792 memory = 0.131014. The CSV collector also has api
 * running on 2026-04-03 with no node data.
 */
class IdleCostApiTest {
    private static final String DAY = "from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z";
    private static final String NO_NODES = "from=2026-04-03T00:00:00Z&to=2026-04-04T00:00:00Z";
    private static final String HEADER = "pod,namespace,service,team,node_pool,labels,ts,interval_seconds,"
            + "cpu_usage_cores,cpu_request_cores,memory_usage_bytes,memory_request_bytes,storage_bytes,"
            + "egress_region_bytes,egress_internet_bytes\n";
    private static final String PODS = HEADER
            + "api-7d9f8c6b5-bcdfg,shop,,,,,2026-04-01T00:00:00Z,,0.5,1,3221225472,2147483648,0,0,0\n"
            + "api-7d9f8c6b5-bcdfg,shop,,,,,2026-04-01T01:00:00Z,,0.5,1,3221225472,2147483648,0,0,0\n"
            + "worker-0,shop,,,,,2026-04-01T00:00:00Z,,1.5,0.5,1073741824,4294967296,0,0,0\n"
            + "worker-0,shop,,,,,2026-04-01T01:00:00Z,,1.5,0.5,1073741824,4294967296,0,0,0\n"
            + "stray-0,,,,,,2026-04-01T00:00:00Z,,0.2,0.5,536870912,1073741824,0,0,0\n"
            + "stray-0,,,,,,2026-04-01T01:00:00Z,,0.2,0.5,536870912,1073741824,0,0,0\n";
    private static final String LATER_PODS = HEADER
            + "api-7d9f8c6b5-bcdfg,shop,,,,,2026-04-03T00:00:00Z,,0.5,1,3221225472,2147483648,0,0,0\n"
            + "api-7d9f8c6b5-bcdfg,shop,,,,,2026-04-03T01:00:00Z,,0.5,1,3221225472,2147483648,0,0,0\n";
    private static final String NODES = "node,ts,cpu_allocatable_cores,memory_allocatable_bytes\n"
            + "node-a,2026-04-01T00:00:00Z,4,17179869184\n"
            + "node-a,2026-04-01T01:00:00Z,4,17179869184\n";

    @TempDir
    static Path data;
    static Collector otlpCollector;
    static Collector csvCollector;
    static ApiClient otlpApi;
    static ApiClient csvApi;

    @BeforeAll
    static void start() throws Exception {
        otlpCollector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data.resolve("otlp")));
        try (KubeletUsageSender sender = new KubeletUsageSender(otlpCollector.otlpHttpPort())) {
            assertThat(sender.replay(Files.writeString(data.resolve("pods.csv"), PODS))).isEqualTo(6);
        }
        sendNode(otlpCollector.otlpHttpPort(), List.of(Instant.parse("2026-04-01T00:00:00Z"),
                Instant.parse("2026-04-01T01:00:00Z")));
        otlpApi = new ApiClient(otlpCollector.httpPort());

        try (CostEngine importer = CostEngine.open(data.resolve("csv"), Pricing.defaults())) {
            assertThat(importer.importUsage(data.resolve("pods.csv"))).isEqualTo(6);
            assertThat(importer.importUsage(Files.writeString(data.resolve("later.csv"), LATER_PODS))).isEqualTo(2);
            assertThat(importer.importUsage(Files.writeString(data.resolve("nodes.csv"), NODES))).isEqualTo(2);
        }
        csvCollector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data.resolve("csv")));
        csvApi = new ApiClient(csvCollector.httpPort());
    }

    /**
     * Node capacity as the k8s_cluster receiver reports it, one export per time: CPU under the
     * semantic-convention name, memory under the receiver's older name, both accepted.
     */
    private static void sendNode(int otlpHttpPort, List<Instant> times) {
        KubeletUsageSender.SampleClock clock = new KubeletUsageSender.SampleClock();
        SdkMeterProvider provider = SdkMeterProvider.builder().setClock(clock)
                .setResource(Resource.create(Attributes.builder().put("k8s.node.name", "node-a").build()))
                .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                        .setEndpoint("http://127.0.0.1:" + otlpHttpPort + "/v1/metrics").build())
                        .setInterval(Duration.ofDays(1)).build())
                .build();
        Meter meter = provider.get("k8s_cluster");
        meter.gaugeBuilder("k8s.node.cpu.allocatable").setUnit("{cpu}").buildWithCallback(m -> m.record(4));
        meter.gaugeBuilder("k8s.node.allocatable_memory").setUnit("By").buildWithCallback(m -> m.record(16.0 * (1L << 30)));
        for (Instant at : times) {
            clock.nanos.set(TimeUnit.SECONDS.toNanos(at.getEpochSecond()));
            provider.forceFlush().join(10, TimeUnit.SECONDS);
        }
        provider.shutdown().join(5, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        if (otlpCollector != null) {
            otlpCollector.close();
        }
        if (csvCollector != null) {
            csvCollector.close();
        }
    }

    @Test
    void theClusterCallSplitsTheClusterIntoServicesUnallocatedAndIdleThatAddUp() {
        for (ApiClient api : new ApiClient[] {csvApi, otlpApi}) {
            JsonNode c = api.json("/api/v1/cost/cluster?" + DAY);
            assertThat(c.get("hoursWithCapacity").asLong()).isEqualTo(2);
            assertThat(c.get("cluster").asDouble()).isCloseTo(0.388472, within(1e-6));
            assertThat(c.get("services").get(0).get("service").asText()).isEqualTo("worker");
            assertThat(c.get("services").get(0).get("total").asDouble()).isCloseTo(0.128729, within(1e-6));
            assertThat(c.get("services").get(1).get("service").asText()).isEqualTo("api");
            assertThat(c.get("services").get(1).get("total").asDouble()).isCloseTo(0.088644, within(1e-6));
            assertThat(c.get("allocated").asDouble()).isCloseTo(0.217373, within(1e-6));
            assertThat(c.get("unallocated").asDouble()).isCloseTo(0.040085, within(1e-6));
            assertThat(c.get("idle").get("cpu").asDouble()).isCloseTo(0.063222, within(1e-6));
            assertThat(c.get("idle").get("memory").asDouble()).isCloseTo(0.067792, within(1e-6));
            assertThat(c.get("idle").get("total").asDouble()).isCloseTo(0.131014, within(1e-6));
            assertThat(c.get("overcommit").get("total").asDouble()).isZero();
            assertThat(c.get("balanced").asBoolean()).isTrue();
        }
    }

    @Test
    void includeIdleAddsAnIdleRowPerStepAndShareIdleSpreadsItToTheClusterTotal() {
        for (ApiClient api : new ApiClient[] {csvApi, otlpApi}) {
            JsonNode hourly = api.json("/api/v1/cost?groupBy=service&step=1h&includeIdle=true&" + DAY).get("rows");
            List<String> idleHours = new ArrayList<>();
            double sum = 0;
            for (JsonNode r : hourly) {
                sum += r.get("total").asDouble();
                if (r.get("group").asText().equals("__idle__")) {
                    idleHours.add(r.get("ts").asText());
                    assertThat(r.get("total").asDouble()).isCloseTo(0.065507, within(1e-6));
                }
            }
            assertThat(idleHours).containsExactly("2026-04-01T00:00:00Z", "2026-04-01T01:00:00Z");
            assertThat(sum).isCloseTo(0.388472, within(1e-6));

            JsonNode shared = api.json("/api/v1/cost?groupBy=service&step=1d&shareIdle=true&" + DAY).get("rows");
            double sharedSum = 0;
            for (JsonNode r : shared) {
                assertThat(r.get("group").asText()).isNotEqualTo("__idle__");
                sharedSum += r.get("total").asDouble();
            }
            assertThat(shared.size()).isEqualTo(3);
            assertThat(sharedSum).isCloseTo(0.388472, within(1e-6));
        }
    }

    @Test
    void withoutNodeDataThereIsNoIdleRowAndTheClusterCallAnswers404() {
        JsonNode rows = csvApi.json("/api/v1/cost?groupBy=service&includeIdle=true&" + NO_NODES).get("rows");
        assertThat(rows).isNotEmpty();
        rows.forEach(r -> assertThat(r.get("group").asText()).isEqualTo("api"));
        ApiClient.Answer unknown = csvApi.get("/api/v1/cost/cluster?" + NO_NODES);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("field").asText()).isEqualTo("from");
        assertThat(unknown.json().get("error").asText()).contains("no node capacity");
        assertThat(unknown.json().get("hint").asText()).contains("k8s.node.cpu.allocatable");
    }

    @Test
    void refusesAnIdleFlagThatIsNotABoolean() {
        ApiClient.Answer bad = csvApi.get("/api/v1/cost?includeIdle=yes&" + DAY);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("includeIdle");
    }
}
