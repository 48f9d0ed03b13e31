package dev.plumb.demo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import dev.plumb.demo.launch.DemoWorkload;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's "the demo's simulated usage makes the cost views non-empty within a minute": the
 * simulator's history sent as OTLP/HTTP protobuf to a collector on loopback, then trend,
 * drivers, benchmark and anomalies read through the HTTP API.
 */
class BackfilledCostViewsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static Collector collector;
    private static ClusterStory story;
    private static String api;

    @BeforeAll
    static void sendTheHistory() throws Exception {
        collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(dir));
        api = "http://127.0.0.1:" + collector.httpPort() + "/api/v1/";
        story = ClusterStory.at(Instant.now());
        UsageBackfill.send(UsageBackfill.request(story),
                URI.create("http://127.0.0.1:" + collector.otlpHttpPort() + "/v1/metrics"), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void trendHasFourteenDaysForEveryService() throws Exception {
        JsonNode groups = get("cost/trend?from=now-14d").path("groups");
        List<String> services = new ArrayList<>();
        for (JsonNode group : groups) {
            services.add(group.path("group").asText());
            assertThat(group.path("series").size()).as("days of %s", group.path("group").asText()).isGreaterThanOrEqualTo(14);
            assertThat(group.path("lastWeek").asDouble()).isPositive();
        }
        assertThat(services).containsExactlyInAnyOrderElementsOf(DemoWorkload.SERVICES);
    }

    @Test
    void paymentsDriversAreTheThirdPodAndTheUsageAboveRequestItEnded() throws Exception {
        JsonNode answer = get("cost/drivers?service=payment&from=now-3d&baselineFrom=now-6d&baselineTo=now-3d");
        assertThat(answer.path("currentTotal").asDouble()).isGreaterThan(answer.path("baselineTotal").asDouble());
        double sum = 0;
        for (JsonNode d : answer.path("drivers")) {
            sum += d.path("delta").asDouble();
        }
        assertThat(sum).isCloseTo(answer.path("delta").asDouble(), within(0.001));
        JsonNode replicas = driver(answer, "replica-hours");
        // a third pod for three days: 72 pod-hours at 0.5 core and 0.5 GiB requested, about 1.29
        assertThat(replicas.path("delta").asDouble()).isBetween(1.1, 1.5);
        assertThat(replicas.path("explanation").asText()).contains("payment");
        assertThat(driver(answer, "usage-above-request").path("delta").asDouble()).isNegative();
    }

    @Test
    void inventorysDriverIsItsExpandedStorage() throws Exception {
        JsonNode answer = get("cost/drivers?service=inventory&from=now-3d&baselineFrom=now-6d&baselineTo=now-3d");
        // 2 pods × 40 GiB more for about two of the three days, at 0.04 per GiB-month of 730 hours
        assertThat(driver(answer, "storage").path("delta").asDouble()).isBetween(0.15, 0.25);
    }

    @Test
    void everyServiceHasABenchmark() throws Exception {
        for (String service : DemoWorkload.SERVICES) {
            JsonNode answer = get("cost/benchmark?service=" + service + "&from=now-7d");
            assertThat(answer.path("costPerHour").asDouble()).as(service).isPositive();
            assertThat(answer.path("rank").asInt()).as(service).isBetween(1, answer.path("of").asInt());
            assertThat(answer.path("peers")).as(service).isNotEmpty();
        }
    }

    @Test
    void theFlashSaleIsTheAnomaly() throws Exception {
        List<String> flagged = new ArrayList<>();
        for (JsonNode a : get("cost/anomalies").path("anomalies")) {
            flagged.add(a.path("service").asText() + " " + a.path("day").asText());
        }
        assertThat(flagged).containsExactly("frontend " + story.saleDay());
    }

    private static JsonNode driver(JsonNode answer, String name) {
        for (JsonNode d : answer.path("drivers")) {
            if (d.path("driver").asText().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no driver " + name + " in " + answer);
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
