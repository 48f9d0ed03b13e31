package dev.plumb.collector.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.analytics.Store;
import dev.plumb.analytics.alerts.AlertChannel;
import dev.plumb.analytics.alerts.AlertStore;
import dev.plumb.analytics.alerts.AlertSubscription;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each signal is measured from the store as its definition says, evaluated by hand (two
 * evaluations, {@code for} apart) and delivered to a loopback receiver standing in for a webhook.
 */
class AlertSignalsTest {
    @TempDir
    Path data;

    @Test
    void latencyThroughputAndLogCountAreMeasuredFromTheStore() {
        try (Store store = Store.open(data); AlertStore alerts = AlertStore.on(store); Receiver hook = new Receiver(0)) {
            Traffic.requests(store, "checkout", 200, 0, Duration.ofMillis(40));
            Traffic.errorLogs(store, "checkout", 3, "payment declined");
            Traffic.errorLogs(store, "checkout", 1, "cache warm");
            Instant now = Instant.now();
            alerts.add(subscription("p95", "latency_p95", ">", 30, null, hook, now));
            alerts.add(subscription("traffic", "throughput", "<", 100, null, hook, now));
            alerts.add(subscription("declines", "log_count", ">", 2, "declined", hook, now));
            alerts.add(subscription("quiet", "error_rate", ">", 0.01, null, hook, now));
            try (AlertEvaluator evaluator = new AlertEvaluator(store, alerts,
                    AlertSettings.defaults(Duration.ofSeconds(15)), new PrometheusRegistry(), id -> "http://plumb/" + id)) {
                assertThat(evaluator.evaluate(now).join()).isTrue();
                assertThat(hook.received()).as("pending does not notify").isEmpty();
                assertThat(evaluator.evaluate(now.plusSeconds(60)).join()).isTrue();
            }
            Map<String, Double> values = hook.received().stream().map(Receiver.Received::body)
                    .collect(Collectors.toMap(b -> b.get("alert").get("name").asText(), b -> b.get("value").asDouble()));
            // Throughput is requests over the whole 5m window: 200 / 300 s.
            assertThat(values).containsOnlyKeys("p95", "traffic", "declines");
            assertThat(values.get("p95")).isEqualTo(40.0);
            assertThat(values.get("traffic")).isCloseTo(200 / 300.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(values.get("declines")).isEqualTo(3.0);
            JsonNode any = hook.received().get(0).body();
            assertThat(any.get("generatorURL").asText()).startsWith("http://plumb/");
        }
    }

    private static AlertSubscription subscription(String name, String signal, String op, double threshold, String query,
                                                  Receiver hook, Instant now) {
        return new AlertSubscription(name + "-id", name, "checkout", signal, op, "warning", threshold,
                Duration.ofMinutes(5), Duration.ofMinutes(1), query,
                List.of(new AlertChannel("webhook", hook.url("/hook"))), now);
    }
}
