package dev.plumb.collector.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.collector.ApiClient;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/alerts} on a real collector on loopback: subscriptions are created, listed,
 * read, deleted and survive a restart; malformed bodies are 400s naming the field; each
 * guardrail is a 422 naming the field and saying what it observed.
 */
class AlertSubscriptionApiTest {
    @TempDir
    Path data;
    Collector collector;
    ApiClient api;

    @BeforeEach
    void start() {
        collector = Collector.start(config());
        api = new ApiClient(collector.httpPort());
        // checkout: 200 requests of 40 ms, 10 of them errors; lonely: 10 requests.
        Traffic.requests(collector.store(), "checkout", 200, 10, Duration.ofMillis(40));
        Traffic.requests(collector.store(), "lonely", 10, 0, Duration.ofMillis(5));
        Traffic.errorLogs(collector.store(), "checkout", 3, "payment declined");
    }

    private PlumbConfig config() {
        return PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data)
                .withAlertEvalInterval(Duration.ofSeconds(15));
    }

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    private ApiClient.Answer post(String json) {
        return api.post("/api/v1/alerts", "application/json", null, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String alert(String signal, String op, String threshold, String window, String forText) {
        return """
                {"name": "checkout %s", "service": "checkout", "signal": "%s", "op": "%s", "threshold": %s,
                 "window": "%s", "for": "%s", "channels": [{"type": "webhook", "url": "http://127.0.0.1:9/hook"}]}
                """.formatted(signal, signal, op, threshold, window, forText);
    }

    @Test
    void aSubscriptionIsCreatedListedReadAndDeleted() {
        ApiClient.Answer created = post(alert("error_rate", ">", "0.05", "5m", "5m"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode body = created.json();
        String id = body.get("id").asText();
        assertThat(id).isNotBlank();
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/alerts/" + id);
        assertThat(body.get("signal").asText()).isEqualTo("error_rate");
        assertThat(body.get("threshold").asDouble()).isEqualTo(0.05);
        assertThat(body.get("window").asText()).isEqualTo("5m");
        assertThat(body.get("for").asText()).isEqualTo("5m");
        assertThat(body.get("state").asText()).isEqualTo("inactive");
        assertThat(body.get("channels").get(0).get("url").asText()).isEqualTo("http://127.0.0.1:9/hook");

        assertThat(api.json("/api/v1/alerts").get("alerts")).extracting(a -> a.get("id").asText()).containsExactly(id);
        assertThat(api.json("/api/v1/alerts/" + id).get("name").asText()).isEqualTo("checkout error_rate");
        assertThat(api.json("/api/v1/alerts/" + id + "/events").get("events")).isEmpty();

        ApiClient.Answer deleted = api.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + collector.httpPort() + "/api/v1/alerts/" + id)).DELETE());
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(api.get("/api/v1/alerts/" + id).status()).isEqualTo(404);
        assertThat(api.json("/api/v1/alerts").get("alerts")).isEmpty();
    }

    @Test
    void subscriptionsSurviveARestart() {
        String id = post(alert("latency_p95", ">", "300", "5m", "5m")).json().get("id").asText();
        collector.close();
        collector = Collector.start(config());
        api = new ApiClient(collector.httpPort());

        JsonNode alert = api.json("/api/v1/alerts/" + id);
        assertThat(alert.get("signal").asText()).isEqualTo("latency_p95");
        assertThat(alert.get("threshold").asDouble()).isEqualTo(300);
        assertThat(alert.get("channels").get(0).get("type").asText()).isEqualTo("webhook");
    }

    @Test
    void malformedBodiesAre400sNamingTheField() {
        assertRefused(post("{not json"), 400, "body");
        assertRefused(post(alert("error_rate", ">", "\"high\"", "5m", "5m")), 400, "threshold");
        assertRefused(post(alert("error_rate", "!=", "0.05", "5m", "5m")), 400, "op");
        assertRefused(post(alert("error_rate", ">", "0.05", "five minutes", "5m")), 400, "window");
        assertRefused(post(alert("error_rate", ">", "0.05", "5m", "5m").replace("http://127.0.0.1:9/hook", "hook")),
                400, "channels[0].url");
        assertRefused(post(alert("error_rate", ">", "0.05", "5m", "5m").replace("webhook", "pager")),
                400, "channels[0].type");
    }

    @Test
    void windowsAndForsTooShortToMeanAnythingAreRefused() {
        assertThat(assertRefused(post(alert("error_rate", ">", "0.05", "30s", "5m")), 422, "window"))
                .contains("30s").contains("1m");
        assertThat(assertRefused(post(alert("error_rate", ">", "0.05", "5m", "10s")), 422, "for"))
                .contains("evaluation interval 15s");
    }

    @Test
    void errorRateThresholdsOutsideAThousandthToOneAreRefused() {
        assertRefused(post(alert("error_rate", ">", "0.0001", "5m", "5m")), 422, "threshold");
        assertRefused(post(alert("error_rate", ">", "5", "5m", "5m")), 422, "threshold");
        assertThat(post(alert("error_rate", ">", "0.001", "5m", "5m")).status()).isEqualTo(201);
    }

    @Test
    void aLatencyThresholdBelowTheCurrentMedianIsRefusedWithTheObservedMedian() {
        String reason = assertRefused(post(alert("latency_p95", ">", "10", "5m", "5m")), 422, "threshold");
        assertThat(reason).contains("p50 of 40 ms");
        assertThat(post(alert("latency_p95", ">", "100", "5m", "5m")).status()).isEqualTo(201);
    }

    @Test
    void tooLittleTrafficToJudgeARateIsRefused() {
        String body = alert("error_rate", ">", "0.05", "5m", "5m").replace("\"checkout\"", "\"lonely\"");
        assertThat(assertRefused(post(body), 422, "window")).contains("10 requests").contains("at least 100");
    }

    @Test
    void unknownServicesAndSignalsAreRefused() {
        String ghost = alert("error_rate", ">", "0.05", "5m", "5m").replace("\"checkout\"", "\"ghost\"");
        assertThat(assertRefused(post(ghost), 422, "service")).contains("ghost");
        assertThat(assertRefused(post(alert("saturation", ">", "0.5", "5m", "5m")), 422, "signal"))
                .contains("saturation");
    }

    @Test
    void aLogCountNeedsAQueryThatParses() {
        String noQuery = alert("log_count", ">", "10", "5m", "5m");
        assertRefused(post(noQuery), 422, "query");
        String badQuery = noQuery.replace("\"window\"", "\"query\": \"severity>=ERROR AND (\", \"window\"");
        assertThat(assertRefused(post(badQuery), 422, "query")).contains("does not parse");
        String good = noQuery.replace("\"window\"", "\"query\": \"declined\", \"window\"");
        ApiClient.Answer created = post(good);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("query").asText()).isEqualTo("declined");
    }

    /** Asserts the status and the field named, and answers the reason. */
    private static String assertRefused(ApiClient.Answer answer, int status, String field) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.json().get("field").asText()).as(answer.text()).isEqualTo(field);
        return answer.json().get("error").asText();
    }
}
