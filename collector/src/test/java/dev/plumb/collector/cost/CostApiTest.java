package dev.plumb.collector.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.analytics.cost.CostEngine;
import dev.plumb.analytics.cost.Pricing;
import dev.plumb.collector.ApiClient;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-computed fixture of the cost engine (analytics' {@code cost/fixture-usage.csv}, worked
 * out in {@code CostFixture}) through the HTTP API of two running collectors: one sent the usage
 * as OTLP metrics from the real OpenTelemetry SDK, the other's data directory had it imported
 * from CSV. Both must give the same
 * figures, to the cent.
 */
class CostApiTest {
    private static final Path FIXTURE = Path.of("../analytics/src/test/resources/cost");
    private static final String BOTH_DAYS = "from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z";
    private static final String DAY_OVER_DAY = "from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z"
            + "&baselineFrom=2026-03-01T00:00:00Z&baselineTo=2026-03-02T00:00:00Z";

    @TempDir
    static Path data;
    static Collector otlpCollector;
    static Collector csvCollector;
    static ApiClient otlpApi;
    static ApiClient csvApi;

    @BeforeAll
    static void start() throws Exception {
        assertThat(FIXTURE.resolve("fixture-usage.csv")).as("the fixture, read from the analytics module").exists();
        Path pricing = FIXTURE.resolve("pricing.yaml");
        otlpCollector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withPricingFile(pricing)
                .withDataDir(data.resolve("otlp")));
        try (KubeletUsageSender sender = new KubeletUsageSender(otlpCollector.otlpHttpPort())) {
            assertThat(sender.replay(FIXTURE.resolve("fixture-usage.csv"))).isEqualTo(30);
        }
        otlpApi = new ApiClient(otlpCollector.httpPort());

        // As `plumb cost import` does: into the data directory, before the server opens it.
        try (CostEngine importer = CostEngine.open(data.resolve("csv"), Pricing.load(pricing))) {
            assertThat(importer.importUsage(FIXTURE.resolve("fixture-usage.csv"))).isEqualTo(30);
        }
        csvCollector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withPricingFile(pricing)
                .withDataDir(data.resolve("csv")));
        csvApi = new ApiClient(csvCollector.httpPort());
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
    void costPerServicePerDayIsTheHandComputedFigure() {
        for (ApiClient api : new ApiClient[] {csvApi, otlpApi}) {
            Map<String, Double> daily = daily(api.json("/api/v1/cost?groupBy=service&step=1d&" + BOTH_DAYS));
            assertThat(daily).containsOnlyKeys("checkout 2026-03-01T00:00:00Z", "checkout 2026-03-02T00:00:00Z",
                    "legacy 2026-03-01T00:00:00Z", "reports 2026-03-01T00:00:00Z", "reports 2026-03-02T00:00:00Z",
                    "search 2026-03-02T00:00:00Z");
            assertThat(daily.get("checkout 2026-03-01T00:00:00Z")).isCloseTo(1.283728, within(0.005));
            assertThat(daily.get("checkout 2026-03-02T00:00:00Z")).isCloseTo(2.257596, within(0.005));
            assertThat(daily.get("search 2026-03-02T00:00:00Z")).isCloseTo(1.008263, within(0.005));
            assertThat(daily.get("reports 2026-03-02T00:00:00Z")).isCloseTo(0.113896, within(0.005));
            assertThat(daily.get("legacy 2026-03-01T00:00:00Z")).isCloseTo(0.24051, within(0.005));
        }
    }

    @Test
    void otlpAndCsvGiveTheSameRows() {
        for (String query : new String[] {"groupBy=service&step=1h", "groupBy=team&step=1d", "groupBy=namespace&step=1d"}) {
            JsonNode otlp = otlpApi.json("/api/v1/cost?" + query + "&" + BOTH_DAYS).get("rows");
            JsonNode csv = csvApi.json("/api/v1/cost?" + query + "&" + BOTH_DAYS).get("rows");
            assertThat(otlp.size()).as(query).isEqualTo(csv.size());
            for (int i = 0; i < csv.size(); i++) {
                assertThat(otlp.get(i).get("group").asText()).isEqualTo(csv.get(i).get("group").asText());
                assertThat(otlp.get(i).get("ts").asText()).isEqualTo(csv.get(i).get("ts").asText());
                for (String field : new String[] {"cpu", "memory", "storage", "network", "total", "podHours"}) {
                    assertThat(otlp.get(i).get(field).asDouble()).as(query + " row " + i + " " + field)
                            .isCloseTo(csv.get(i).get(field).asDouble(), within(1e-6));
                }
            }
        }
    }

    @Test
    void driversAddUpToTheDeltaThroughTheApi() {
        for (ApiClient api : new ApiClient[] {csvApi, otlpApi}) {
            JsonNode d = api.json("/api/v1/cost/drivers?" + DAY_OVER_DAY);
            assertThat(d.get("baselineTotal").asDouble()).isEqualTo(1.64);
            assertThat(d.get("currentTotal").asDouble()).isEqualTo(3.38);
            assertThat(d.get("delta").asDouble()).isEqualTo(1.74);
            long cents = 0;
            for (JsonNode driver : d.get("drivers")) {
                cents += Math.round(driver.get("delta").asDouble() * 100);
                assertThat(driver.get("explanation").asText()).isNotBlank();
            }
            assertThat(cents).isEqualTo(174);
            assertThat(d.get("drivers").get(0).get("explanation").asText()).isEqualTo(
                    "search appeared (12.0 pod-hours, 0.5 pods on average): +1.01");
        }
    }

    @Test
    void benchmarksAServiceAgainstItsTeam() {
        JsonNode b = csvApi.json("/api/v1/cost/benchmark?service=checkout&" + DAY_OVER_DAY.substring(0, 53));
        assertThat(b.get("peerGroup").asText()).isEqualTo("team commerce");
        assertThat(b.get("costPerHour").asDouble()).isCloseTo(2.257596 / 24, within(1e-6));
        assertThat(b.get("rank").asInt()).isEqualTo(2);
        assertThat(b.get("peers").get(0).get("service").asText()).isEqualTo("search");
        assertThat(b.get("peers").get(0).get("costPerHour").asDouble()).isCloseTo(1.008263342 / 12, within(1e-6));
    }

    @Test
    void refusesBadParametersNamingThem() {
        ApiClient.Answer groupBy = csvApi.get("/api/v1/cost?groupBy=pod");
        assertThat(groupBy.status()).isEqualTo(400);
        assertThat(groupBy.json().get("field").asText()).isEqualTo("groupBy");
        assertThat(groupBy.json().get("hint").asText()).contains("groupBy=team");
        ApiClient.Answer step = csvApi.get("/api/v1/cost?step=5x");
        assertThat(step.status()).isEqualTo(400);
        assertThat(step.json().get("field").asText()).isEqualTo("step");
        ApiClient.Answer noService = csvApi.get("/api/v1/cost/benchmark");
        assertThat(noService.status()).isEqualTo(400);
        assertThat(noService.json().get("field").asText()).isEqualTo("service");
        ApiClient.Answer unknown = csvApi.get("/api/v1/cost/benchmark?service=nope&" + BOTH_DAYS);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).contains("'nope'");
        ApiClient.Answer unknownDrivers = csvApi.get("/api/v1/cost/drivers?service=nope&" + DAY_OVER_DAY);
        assertThat(unknownDrivers.status()).isEqualTo(404);
        assertThat(unknownDrivers.json().get("field").asText()).isEqualTo("service");
    }

    private static Map<String, Double> daily(JsonNode answer) {
        Map<String, Double> out = new TreeMap<>();
        answer.get("rows").forEach(r -> out.put(r.get("group").asText() + " " + r.get("ts").asText(),
                r.get("total").asDouble()));
        return out;
    }

}
