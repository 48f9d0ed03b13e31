package dev.plumb.collector.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.collector.ApiClient;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An error-rate alert on a real collector evaluated every second goes pending, fires once, repeats
 * after the (shortened) repeat interval and resolves when errors drop, notifying three loopback
 * receivers that stand in for a webhook, a Slack incoming webhook and an Alertmanager. The webhook
 * refuses its first two deliveries with 503, which are retried and counted in /metrics.
 */
class AlertNotificationTest {
    @TempDir
    Path data;
    Collector collector;

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void anAlertFiresOnceRepeatsAndResolvesOnEveryChannel() {
        Duration eval = Duration.ofSeconds(1);
        collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data)
                        .withAlertEvalInterval(eval),
                AlertSettings.defaults(eval).withRepeatInterval(Duration.ofSeconds(3)).withBackoff(4, Duration.ofMillis(50)));
        ApiClient api = new ApiClient(collector.httpPort());
        // 20% of checkout's 200 requests fail.
        Traffic.requests(collector.store(), "checkout", 200, 40, Duration.ofMillis(20));

        try (Receiver webhook = new Receiver(2); Receiver slack = new Receiver(0); Receiver alertmanager = new Receiver(0)) {
            String body = """
                    {"name": "checkout errors", "service": "checkout", "signal": "error_rate", "op": ">",
                     "threshold": 0.05, "window": "1m", "for": "1s", "severity": "critical",
                     "channels": [{"type": "webhook", "url": "%s"}, {"type": "slack", "url": "%s"},
                                  {"type": "alertmanager", "url": "%s"}]}
                    """.formatted(webhook.url("/hook"), slack.url("/services/T0/B0/x"), alertmanager.url("/"));
            ApiClient.Answer created = api.post("/api/v1/alerts", "application/json", null,
                    body.getBytes(StandardCharsets.UTF_8));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String id = created.json().get("id").asText();

            await().atMost(Duration.ofSeconds(15)).until(() -> webhook.received().size() >= 1
                    && slack.received().size() >= 1 && alertmanager.received().size() >= 1);
            JsonNode firing = webhook.received().get(0).body();
            assertThat(firing.get("status").asText()).isEqualTo("firing");
            assertThat(firing.get("repeat").asBoolean()).isFalse();
            assertThat(firing.get("value").asDouble()).isEqualTo(0.2);
            assertThat(firing.get("summary").asText()).isEqualTo(
                    "FIRING checkout errors: error_rate of checkout is 0.2 fraction of requests over the last 1m (> 0.05)");
            assertThat(firing.get("generatorURL").asText()).endsWith("/api/v1/alerts/" + id);
            assertThat(webhook.attempts()).as("two refusals, then the delivery").isGreaterThanOrEqualTo(3);

            JsonNode slackBody = slack.received().get(0).body();
            assertThat(slackBody.get("text").asText()).startsWith(":rotating_light: FIRING checkout errors");
            assertThat(slackBody.get("blocks").get(0).get("type").asText()).isEqualTo("section");

            Receiver.Received am = alertmanager.received().get(0);
            assertThat(am.path()).isEqualTo("/api/v2/alerts");
            JsonNode labels = am.body().get(0).get("labels");
            assertThat(labels.get("alertname").asText()).isEqualTo("checkout errors");
            assertThat(labels.get("service").asText()).isEqualTo("checkout");
            assertThat(labels.get("severity").asText()).isEqualTo("critical");
            assertThat(am.body().get(0).has("startsAt")).isTrue();
            assertThat(am.body().get(0).has("endsAt")).as("a firing alert has no end yet").isFalse();

            await().atMost(Duration.ofSeconds(15)).until(() -> webhook.received().size() >= 2);
            assertThat(webhook.received().get(1).body().get("repeat").asBoolean()).isTrue();
            assertThat(webhook.received().get(1).body().get("startsAt").asText()).isEqualTo(firing.get("startsAt").asText());

            // 3000 good requests bring the rate to 40 / 3200 = 1.25%.
            Traffic.requests(collector.store(), "checkout", 3000, 0, Duration.ofMillis(20));
            await().atMost(Duration.ofSeconds(15)).until(() -> webhook.received().stream()
                    .anyMatch(r -> r.body().get("status").asText().equals("resolved")));
            List<JsonNode> sent = webhook.received().stream().map(Receiver.Received::body).toList();
            JsonNode resolved = sent.get(sent.size() - 1);
            assertThat(resolved.get("status").asText()).isEqualTo("resolved");
            assertThat(resolved.get("value").asDouble()).isEqualTo(0.0125);
            assertThat(resolved.has("endsAt")).isTrue();
            assertThat(sent.stream().filter(b -> b.get("status").asText().equals("firing") && !b.get("repeat").asBoolean()))
                    .as("notified once on firing").hasSize(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> alertmanager.received().stream()
                    .anyMatch(r -> r.body().get(0).has("endsAt")));

            JsonNode events = api.json("/api/v1/alerts/" + id + "/events").get("events");
            List<String> states = events.findValuesAsText("state");
            assertThat(states.get(0)).isEqualTo("resolved");
            assertThat(states.get(states.size() - 1)).isEqualTo("pending");
            assertThat(states).contains("firing");
            assertThat(api.json("/api/v1/alerts/" + id).get("state").asText()).isEqualTo("resolved");

            String metrics = api.get("/metrics").text();
            assertThat(metrics).contains("plumb_alert_delivery_failures_total{channel=\"webhook\"} 2.0");
            assertThat(metrics).contains("plumb_alert_notifications_total{channel=\"slack\",outcome=\"delivered\"}");
        }
    }
}
