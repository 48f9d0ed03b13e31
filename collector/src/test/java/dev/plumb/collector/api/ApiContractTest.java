package dev.plumb.collector.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.analytics.telemetry.LogRow;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import dev.plumb.collector.ApiClient;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's promises beyond the data itself: its time parameters, its errors as
 * {@code {error, field, hint}}, the OpenAPI document, the operational endpoints and the UI.
 */
class ApiContractTest {
    @TempDir
    static Path data;
    static Collector collector;
    static ApiClient api;

    @BeforeAll
    static void start() {
        collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data));
        api = new ApiClient(collector.httpPort());
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
        long nanos = twoHoursAgo.getEpochSecond() * 1_000_000_000L + twoHoursAgo.getNano();
        collector.store().write(TelemetryBatch.ofLogs(List.of(new LogRow(nanos, nanos, "billing", 17, "ERROR",
                "invoice failed", "", "", Map.of(), Map.of("service.name", "billing"), "test"))));
    }

    @AfterAll
    static void stop() {
        collector.close();
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void windowDefaultsToTheLastHourAndAcceptsEveryTimeForm() {
        JsonNode lastHour = api.json("/api/v1/logs");
        assertThat(lastHour.get("logs")).isEmpty();
        Duration window = Duration.between(Instant.parse(lastHour.get("from").asText()),
                Instant.parse(lastHour.get("to").asText()));
        assertThat(window).isEqualTo(Duration.ofHours(1));

        assertThat(api.json("/api/v1/logs?from=now-3h").get("logs")).hasSize(1);
        long fromMillis = Instant.now().minus(Duration.ofHours(3)).toEpochMilli();
        JsonNode byMillis = api.json("/api/v1/logs?from=" + fromMillis + "&to=now");
        assertThat(byMillis.get("logs")).hasSize(1);
        assertThat(Instant.parse(byMillis.get("from").asText()).toEpochMilli()).isEqualTo(fromMillis);
        String rfc = Instant.now().minus(Duration.ofHours(3)).toString();
        JsonNode byRfc = api.json("/api/v1/logs?from=" + q(rfc) + "&to=" + q("now"));
        assertThat(byRfc.get("logs").get(0).get("body").asText()).isEqualTo("invoice failed");
        assertThat(Instant.parse(byRfc.get("logs").get(0).get("ts").asText())).isBefore(Instant.now());
        JsonNode withOffset = api.json("/api/v1/logs?from=" + q("2020-01-01T00:00:00+02:00"));
        assertThat(withOffset.get("from").asText()).isEqualTo("2019-12-31T22:00:00Z");
    }

    @Test
    void badParametersAreRefusedNamingTheField() {
        ApiClient.Answer from = api.get("/api/v1/services?from=yesterday");
        assertThat(from.status()).isEqualTo(400);
        assertThat(from.json().get("field").asText()).isEqualTo("from");
        assertThat(from.json().get("hint").asText()).contains("RFC 3339");

        ApiClient.Answer reversed = api.get("/api/v1/services?from=now&to=now-1h");
        assertThat(reversed.status()).isEqualTo(400);
        assertThat(reversed.json().get("field").asText()).isEqualTo("to");

        ApiClient.Answer limit = api.get("/api/v1/logs?limit=0");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().get("field").asText()).isEqualTo("limit");

        ApiClient.Answer step = api.get("/api/v1/services/billing/red?step=fortnight");
        assertThat(step.status()).isEqualTo(400);
        assertThat(step.json().get("field").asText()).isEqualTo("step");
        ApiClient.Answer tooFine = api.get("/api/v1/services/billing/red?from=now-30d&step=1s");
        assertThat(tooFine.status()).isEqualTo(400);
        assertThat(tooFine.json().get("error").asText()).contains("more than 10000");

        ApiClient.Answer duration = api.get("/api/v1/traces?minDurationMs=-5");
        assertThat(duration.status()).isEqualTo(400);
        assertThat(duration.json().get("field").asText()).isEqualTo("minDurationMs");
    }

    @Test
    void unparsableLogQueryPointsAtTheColumn() {
        ApiClient.Answer a = api.get("/api/v1/logs?q=" + q("service:payment AND (status:error"));
        assertThat(a.status()).isEqualTo(400);
        JsonNode body = a.json();
        assertThat(body.get("field").asText()).isEqualTo("q");
        assertThat(body.get("position").asInt()).isBetween(20, 33);
        assertThat(body.get("error").asText()).contains("column");
        assertThat(body.get("hint").asText()).isNotBlank();
    }

    @Test
    void unknownTraceIs404AndAMalformedIdIs400() {
        ApiClient.Answer unknown = api.get("/api/v1/traces/0123456789abcdef0123456789abcdef");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("field").asText()).isEqualTo("traceId");
        ApiClient.Answer malformed = api.get("/api/v1/traces/not-a-trace");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("hint").asText()).contains("32 hex digits");
    }

    @Test
    void unknownCallsAndMethodsAnswerJson() {
        ApiClient.Answer missing = api.get("/api/v1/nothing-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("hint").asText()).contains("openapi.json");
        ApiClient.Answer post = api.post("/api/v1/services", "application/json", null, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(post.status()).isIn(404, 405);
        assertThat(post.json().get("error").asText()).isNotBlank();
    }

    @Test
    void openApiDocumentDescribesEveryCall() {
        JsonNode doc = api.json("/api/v1/openapi.json");
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        List<String> paths = new ArrayList<>();
        doc.get("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/services", "/services/{service}/red", "/logs", "/traces", "/traces/{traceId}",
                "/service-map", "/cost", "/cost/drivers", "/cost/benchmark");
        JsonNode summary = doc.get("components").get("schemas").get("ServiceSummary").get("properties");
        assertThat(summary.has("errorRate")).isTrue();
        assertThat(summary.has("p99Ms")).isTrue();
    }

    @Test
    void aServiceSeenOnlyInLogsIsListedWithoutRequests() {
        JsonNode services = api.json("/api/v1/services?from=now-3h").get("services");
        assertThat(services).hasSize(1);
        assertThat(services.get(0).get("name").asText()).isEqualTo("billing");
        assertThat(services.get(0).get("requests").asLong()).isZero();
        assertThat(services.get(0).get("errorRate").asDouble()).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void operationalEndpointsAnswer() {
        assertThat(api.json("/health").get("status").asText()).isEqualTo("up");
        JsonNode ready = api.json("/ready");
        assertThat(ready.get("status").asText()).isEqualTo("ready");
        assertThat(ready.get("queueCapacity").asLong()).isEqualTo(400_000);
        ApiClient.Answer metrics = api.get("/metrics");
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.text()).contains("# TYPE plumb_store_queue_depth gauge")
                .contains("plumb_http_requests_total{code=\"200\",server=\"api\"}");
    }

    @Test
    void dashboardsAndWebjarsAreServed() {
        ApiClient.Answer index = api.get("/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(index.text()).containsIgnoringCase("<html");
        ApiClient.Answer echarts = api.get("/webjars/echarts/5.3.1/dist/echarts.min.js");
        assertThat(echarts.status()).isEqualTo(200);
        assertThat(echarts.body().length).isGreaterThan(500_000);
    }
}
