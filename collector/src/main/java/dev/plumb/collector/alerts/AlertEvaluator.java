package dev.plumb.collector.alerts;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.alerts.AlertChannel;
import dev.plumb.analytics.alerts.AlertEvent;
import dev.plumb.analytics.alerts.AlertStatus;
import dev.plumb.analytics.alerts.AlertStore;
import dev.plumb.analytics.alerts.AlertSubscription;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every subscription every {@link AlertSettings#evalInterval()} on a thread of its own
 * (queries never run on the event loop), moves it through {@link AlertTransition}, saves the
 * status and the event, and hands notifications to {@link Deliveries}. Statuses live in the
 * store, so a restart continues a firing alert instead of paging again.
 */
public final class AlertEvaluator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);

    private final AlertStore alerts;
    private final Measurements measurements;
    private final AlertSettings settings;
    private final Deliveries deliveries;
    private final Function<String, String> generatorUrl;
    private final ScheduledExecutorService timer;

    /**
     * @param generatorUrl the URL of a subscription in the API, from its id
     */
    public AlertEvaluator(Store store, AlertStore alerts, AlertSettings settings, PrometheusRegistry registry,
                          Function<String, String> generatorUrl) {
        this.alerts = alerts;
        this.measurements = new Measurements(store);
        this.settings = settings;
        this.deliveries = new Deliveries(registry, settings.attempts(), settings.backoff());
        this.generatorUrl = generatorUrl;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "plumb-alert-eval");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts evaluating every interval; returns this. */
    public AlertEvaluator start() {
        long ms = settings.evalInterval().toMillis();
        timer.scheduleWithFixedDelay(this::evaluateQuietly, ms, ms, TimeUnit.MILLISECONDS);
        return this;
    }

    private void evaluateQuietly() {
        try {
            evaluate(Instant.now());
        } catch (RuntimeException e) {
            LOG.warn("alert evaluation failed, next in {}: {}", settings.evalInterval(), e.toString());
        }
    }

    /**
     * Evaluates every subscription at {@code now}; the future completes when the notifications
     * decided are delivered or given up (true when all were delivered).
     */
    public CompletableFuture<Boolean> evaluate(Instant at) {
        // The store keeps milliseconds; a repeat must carry the very startsAt the first message had.
        Instant now = at.truncatedTo(ChronoUnit.MILLIS);
        List<CompletableFuture<Boolean>> sent = new ArrayList<>();
        for (AlertSubscription a : alerts.list()) {
            try {
                sent.addAll(evaluate(a, now));
            } catch (RuntimeException e) {
                LOG.warn("alert {} ({}) not evaluated: {}", a.id(), a.name(), e.toString());
            }
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .thenApply(v -> sent.stream().allMatch(CompletableFuture::join));
    }

    private List<CompletableFuture<Boolean>> evaluate(AlertSubscription a, Instant now) {
        Measurement m = measurements.measure(a, now);
        boolean holds = Comparison.of(a.op()).orElseThrow().holds(m.value(), a.threshold());
        AlertStatus current = alerts.status(a.id());
        AlertTransition step = AlertTransition.next(current, holds, m.value(), now, a.forDuration(),
                settings.repeatInterval());
        Notification notification = step.notification() == null ? null
                : new Notification(a, step.notification(), m.value(), startedAt(current, step), now,
                        generatorUrl.apply(a.id()));
        AlertEvent event = step.event() == null ? null : new AlertEvent(a.id(), now, step.event(), m.value(),
                notification != null ? notification.summary()
                        : a.signal() + " " + Notification.format(m.value()) + (holds ? " " : " not ") + a.op() + " "
                                + Notification.format(a.threshold()));
        alerts.update(a.id(), step.status(), event);
        if (notification == null) {
            return List.of();
        }
        List<CompletableFuture<Boolean>> sent = new ArrayList<>();
        for (AlertChannel channel : a.channels()) {
            sent.add(deliveries.send(channel, notification));
        }
        return sent;
    }

    /** When the alert started firing: now for a new one, the saved start for a repeat or a resolve. */
    private static Instant startedAt(AlertStatus current, AlertTransition step) {
        return step.notification() == Notification.Kind.FIRING ? step.status().since() : current.since();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deliveries.close();
    }
}
