package dev.plumb.collector.alerts;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.TimeRange;
import dev.plumb.analytics.alerts.AlertSubscription;
import dev.plumb.analytics.logs.LogQueryException;
import dev.plumb.analytics.logs.LogQueryParser;
import dev.plumb.collector.DurationText;
import dev.plumb.collector.api.ApiException;
import java.time.Duration;
import java.time.Instant;

/**
 * The checks that refuse a subscription which would page on noise or never mean anything,
 * each a 422 naming the field and saying what was observed. The README lists them ("Alerts").
 */
final class Guardrails {
    static final Duration MIN_WINDOW = Duration.ofMinutes(1);
    static final double MIN_ERROR_RATE = 0.001;

    private final Store store;
    private final Measurements measurements;
    private final AlertSettings settings;

    Guardrails(Store store, AlertSettings settings) {
        this.store = store;
        this.measurements = new Measurements(store);
        this.settings = settings;
    }

    /** Throws a 422 {@link ApiException} when {@code a} is refused; runs store queries, so not on the event loop. */
    void check(AlertSubscription a, Instant now) {
        Signal signal = Signal.of(a.signal()).orElseThrow(() -> ApiException.unprocessable("signal",
                "signal '" + a.signal() + "' is not known", "use one of " + Signal.names()));
        if (a.window().compareTo(MIN_WINDOW) < 0) {
            throw ApiException.unprocessable("window", "window " + DurationText.format(a.window())
                    + " is shorter than 1m, too short to be meaningful", "use a window of at least 1m");
        }
        if (a.forDuration().compareTo(settings.evalInterval()) < 0) {
            throw ApiException.unprocessable("for", "for " + DurationText.format(a.forDuration())
                    + " is shorter than the evaluation interval " + DurationText.format(settings.evalInterval())
                    + ", so it could never be observed", "use for >= " + DurationText.format(settings.evalInterval()));
        }
        if (signal == Signal.ERROR_RATE && (a.threshold() < MIN_ERROR_RATE || a.threshold() > 1)) {
            throw ApiException.unprocessable("threshold", "error_rate threshold " + a.threshold()
                    + " is outside 0.001..1 (a fraction: 0.01 = 1%)",
                    "below 0.1% pages on single errors; above 1 can never fire");
        }
        if (a.threshold() < 0) {
            throw ApiException.unprocessable("threshold", a.signal() + " threshold " + a.threshold()
                    + " is negative, so the alert would be constant", "use a threshold >= 0");
        }
        if (!seen(a.service(), now)) {
            throw ApiException.unprocessable("service", "service '" + a.service() + "' has never sent a span or a log",
                    "send telemetry first (service.name of the resource), or check the spelling in GET /api/v1/services");
        }
        if (signal == Signal.LOG_COUNT) {
            checkQuery(a);
            return;
        }
        if (a.query() != null) {
            throw ApiException.unprocessable("query", "query only applies to signal log_count", "remove query");
        }
        Measurement m = measurements.measure(signal, a.service(), null, a.threshold(), a.window(), now);
        if (signal != Signal.THROUGHPUT && m.requests() < settings.minRequests()) {
            throw ApiException.unprocessable("window", a.service() + " had " + m.requests() + " requests in the last "
                    + DurationText.format(a.window()) + ", too little traffic to judge " + a.signal()
                    + " (at least " + settings.minRequests() + " needed)",
                    "lengthen the window, or watch throughput instead");
        }
        if (signal.isLatency() && Comparison.of(a.op()).orElseThrow().upward()) {
            Measurement p50 = measurements.measure(Signal.LATENCY_P50, a.service(), null, a.threshold(), a.window(), now);
            if (a.threshold() < p50.value()) {
                throw ApiException.unprocessable("threshold", "latency threshold " + Notification.format(a.threshold())
                        + " ms is below " + a.service() + "'s current p50 of " + Notification.format(p50.value())
                        + " ms over the last " + DurationText.format(a.window()) + ", so it would page on normal traffic",
                        "use a threshold above " + Notification.format(p50.value()) + " ms");
            }
        }
    }

    private void checkQuery(AlertSubscription a) {
        if (a.query() == null) {
            throw ApiException.unprocessable("query", "signal log_count needs a query in the log syntax",
                    "for example \"severity:ERROR payment\"");
        }
        try {
            LogQueryParser.parse(a.query());
            LogQueryParser.parse(Measurements.serviceQuery(a.service(), a.query()));
        } catch (LogQueryException e) {
            throw ApiException.unprocessable("query", "query does not parse: " + e.getMessage(), e.hint());
        }
    }

    private boolean seen(String service, Instant now) {
        return store.services(new TimeRange(Instant.EPOCH, now.plusSeconds(60))).stream()
                .anyMatch(s -> s.name().equals(service));
    }
}
