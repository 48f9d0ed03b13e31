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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /cost/trend}, {@code /cost/efficiency} and {@code /cost/anomalies} over the hand-computed fixture. */
class CostInsightsApiTest {
    private static final Path FIXTURE = Path.of("../analytics/src/test/resources/cost");
    private static final String BOTH_DAYS = "from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z";

    @TempDir
    static Path data;
    static Collector collector;
    static ApiClient api;

    @BeforeAll
    static void start() {
        Path pricing = FIXTURE.resolve("pricing.yaml");
        try (CostEngine importer = CostEngine.open(data, Pricing.load(pricing))) {
            importer.importUsage(FIXTURE.resolve("fixture-usage.csv"));
        }
        collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withPricingFile(pricing)
                .withDataDir(data));
        api = new ApiClient(collector.httpPort());
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void trendOfOneServiceWithItsWeekOverWeekChange() {
        JsonNode t = api.json("/api/v1/cost/trend?groupBy=service&service=checkout&" + BOTH_DAYS);
        JsonNode checkout = t.get("groups").get(0);
        assertThat(t.get("groups").size()).isEqualTo(1);
        assertThat(checkout.get("group").asText()).isEqualTo("checkout");
        assertThat(checkout.get("series").get(0).get("total").asDouble()).isCloseTo(1.283728, within(1e-6));
        assertThat(checkout.get("series").get(1).get("total").asDouble()).isCloseTo(2.257596, within(1e-6));
        assertThat(checkout.get("lastWeek").asDouble()).isCloseTo(1.283728 + 2.257596, within(1e-6));
        assertThat(checkout.get("weekBefore").asDouble()).isZero();
        assertThat(checkout.get("changePercent").isNull()).isTrue();
    }

    @Test
    void efficiencySuggestsTheCpuRequestAndItsMonthlySaving() {
        JsonNode e = api.json("/api/v1/cost/efficiency?service=checkout&" + BOTH_DAYS);
        JsonNode checkout = e.get("services").get(0);
        assertThat(checkout.get("cpuEfficiency").asDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(checkout.get("suggestedCpuCores").asDouble()).isCloseTo(0.25 / 0.7, within(1e-9));
        assertThat(checkout.get("suggestedMemoryBytes").isNull()).isTrue();
        assertThat(checkout.get("monthlySaving").asDouble()).isCloseTo(11.12, within(0.005));
        ApiClient.Answer bad = api.get("/api/v1/cost/efficiency?targetUtilisation=3");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("targetUtilisation");
        ApiClient.Answer unknown = api.get("/api/v1/cost/efficiency?service=nope&" + BOTH_DAYS);
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void twoDaysAreTooLittleHistoryForAnAnomaly() {
        JsonNode a = api.json("/api/v1/cost/anomalies?minPercent=10&minAmount=0.01&" + BOTH_DAYS);
        assertThat(a.get("anomalies").size()).isZero();
        assertThat(a.get("minPercent").asDouble()).isEqualTo(10.0);
        ApiClient.Answer bad = api.get("/api/v1/cost/anomalies?minAmount=-1");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("minAmount");
    }
}
