package dev.plumb.collector.alerts;

import dev.plumb.analytics.alerts.AlertChannel;
import dev.plumb.collector.api.ApiJson;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications to their channels with the JDK's asynchronous HTTP client, off the
 * event loop and off the evaluation thread: a 5xx, a 429 or a connection failure is retried
 * with exponential backoff (base, 2×base, 4×base, ... up to {@code attempts} tries); any other
 * 4xx is final, since sending the same body again cannot succeed. Outcomes are counted in
 * {@code plumb_alert_notifications_total{channel, outcome}} (delivered | failed) and every
 * failed try in {@code plumb_alert_delivery_failures_total{channel}}.
 */
final class Deliveries implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client;
    private final ScheduledExecutorService retries;
    private final int attempts;
    private final Duration backoff;
    private final Counter notifications;
    private final Counter failures;

    Deliveries(PrometheusRegistry registry, int attempts, Duration backoff) {
        this.attempts = attempts;
        this.backoff = backoff;
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "plumb-alert-delivery");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.notifications = Counter.builder().name("plumb_alert_notifications_total")
                .help("Alert notifications by channel type and final outcome (delivered, failed)")
                .labelNames("channel", "outcome").register(registry);
        this.failures = Counter.builder().name("plumb_alert_delivery_failures_total")
                .help("Failed delivery attempts of alert notifications (each retry counts)")
                .labelNames("channel").register(registry);
    }

    /** Sends {@code n} to {@code channel}; the future completes with true once delivered, false once given up. */
    CompletableFuture<Boolean> send(AlertChannel channel, Notification n) {
        byte[] body = ApiJson.bytes(Payloads.body(channel, n));
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        attempt(channel, body, 1, done);
        return done;
    }

    private void attempt(AlertChannel channel, byte[] body, int attempt, CompletableFuture<Boolean> done) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(Payloads.target(channel))).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        } catch (IllegalArgumentException e) {
            finish(channel, false, "bad url: " + e.getMessage(), done);
            return;
        }
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            int status = response == null ? 0 : response.statusCode();
            if (error == null && status >= 200 && status < 300) {
                finish(channel, true, null, done);
                return;
            }
            failures.labelValues(channel.type()).inc();
            String why = error != null ? error.toString() : "HTTP " + status;
            boolean retryable = error != null || status >= 500 || status == 429;
            if (!retryable || attempt >= attempts || retries.isShutdown()) {
                finish(channel, false, why + " after " + attempt + " attempt(s)", done);
                return;
            }
            long delay = backoff.toMillis() << Math.min(attempt - 1, 16);
            LOG.debug("alert delivery to {} failed ({}), retry {} in {} ms", channel.url(), why, attempt + 1, delay);
            retries.schedule(() -> attempt(channel, body, attempt + 1, done), delay, TimeUnit.MILLISECONDS);
        });
    }

    private void finish(AlertChannel channel, boolean delivered, String why, CompletableFuture<Boolean> done) {
        notifications.labelValues(channel.type(), delivered ? "delivered" : "failed").inc();
        if (!delivered) {
            LOG.warn("alert notification to {} {} failed: {}", channel.type(), channel.url(), why);
        }
        done.complete(delivered);
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
