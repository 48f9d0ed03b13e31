package dev.plumb.analytics;

import dev.plumb.analytics.telemetry.LogRow;
import dev.plumb.analytics.telemetry.SpanEvent;
import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small, hand-checkable world: ten checkout requests, one a minute from {@link #T0}.
 * Request {@code i} (0..9) is a trace of five spans:
 * <pre>
 * frontend  SERVER   "GET /checkout"               200+i ms
 *   frontend INTERNAL "CheckoutController.checkout" (@Monitor, nested: not a request)
 *   frontend CLIENT   "POST /pay"
 *     payment SERVER  "POST /pay"                  10*(i+1) ms, ERROR for i = 3 and 7
 *       payment INTERNAL "PaymentService.charge"   (@Monitor, nested; ERROR + exception event when failing)
 * </pre>
 * plus a log per request from payment (ERROR "charge failed: card declined" with
 * {@code http.status_code=500} when failing, INFO "charged" with 200 otherwise), a batch job
 * {@code inventory} with four root {@code @Monitor} spans of 1..4 ms (each with a nested
 * {@code @Monitor} child), and a {@code mailer} service that only logs.
 */
final class CheckoutFixture {
    /** Two hours ago on the hour: recent, so that retention at open keeps it. */
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
    static final int REQUESTS = 10;
    static final List<Integer> FAILING = List.of(3, 7);

    private CheckoutFixture() {
    }

    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    static long ms(double ms) {
        return Math.round(ms * 1_000_000);
    }

    static String traceId(int i) {
        return String.format("%032x", 0xabc000L + i);
    }

    static String spanId(int i, int n) {
        return String.format("%016x", (long) i * 100 + n);
    }

    static SpanRow span(String traceId, String spanId, String parent, String service, String name, SpanKind kind,
                        long start, long durationNanos, StatusCode status, Map<String, Object> attributes,
                        List<SpanEvent> events) {
        return new SpanRow(traceId, spanId, parent, service, name, kind, start, start + durationNanos, status,
                status == StatusCode.ERROR ? "failed" : "", attributes, Map.of("service.name", service,
                "deployment.environment", "test"), "fixture", events, List.of());
    }

    static LogRow log(long time, String service, int severity, String text, String body, String traceId,
                      String spanId, Map<String, Object> attributes) {
        return new LogRow(time, time, service, severity, text, body, traceId, spanId, attributes,
                Map.of("service.name", service), "fixture");
    }

    static TelemetryBatch request(int i) {
        long start = nanos(T0.plus(Duration.ofMinutes(i)));
        boolean fails = FAILING.contains(i);
        StatusCode payStatus = fails ? StatusCode.ERROR : StatusCode.UNSET;
        String t = traceId(i);
        long payMs = 10L * (i + 1);
        List<SpanRow> spans = new ArrayList<>();
        spans.add(span(t, spanId(i, 1), "", "frontend", "GET /checkout", SpanKind.SERVER, start, ms(200 + i),
                StatusCode.UNSET, Map.of("http.request.method", "GET", "http.response.status_code", 200L), List.of()));
        spans.add(span(t, spanId(i, 2), spanId(i, 1), "frontend", "CheckoutController.checkout", SpanKind.INTERNAL,
                start + ms(1), ms(198), StatusCode.UNSET,
                Map.of("code.function.name", "shop.CheckoutController.checkout"), List.of()));
        spans.add(span(t, spanId(i, 3), spanId(i, 2), "frontend", "POST /pay", SpanKind.CLIENT, start + ms(2),
                ms(payMs + 2), payStatus, Map.of("http.request.method", "POST"), List.of()));
        spans.add(span(t, spanId(i, 4), spanId(i, 3), "payment", "POST /pay", SpanKind.SERVER, start + ms(3), ms(payMs),
                payStatus, Map.of("http.request.method", "POST", "http.response.status_code", fails ? 500L : 200L),
                List.of()));
        List<SpanEvent> events = fails
                ? List.of(new SpanEvent("exception", start + ms(4), Map.of("exception.type", "shop.CardDeclined",
                        "exception.message", "card declined")))
                : List.of();
        spans.add(span(t, spanId(i, 5), spanId(i, 4), "payment", "PaymentService.charge", SpanKind.INTERNAL,
                start + ms(3.5), ms(payMs - 1), payStatus,
                Map.of("code.function.name", "shop.PaymentService.charge", "payment.amount", 12.5 + i), events));
        LogRow log = fails
                ? log(start + ms(5), "payment", 17, "ERROR", "PaymentService.charge failed: card declined", t,
                        spanId(i, 5), Map.of("exception.type", "shop.CardDeclined", "http.status_code", 500L,
                                "duration", (double) payMs))
                : log(start + ms(5), "payment", 9, "INFO", "charged order " + i, t, spanId(i, 5),
                        Map.of("http.status_code", 200L, "duration", (double) payMs));
        return new TelemetryBatch(spans, List.of(log), List.of());
    }

    static TelemetryBatch inventoryJob() {
        List<SpanRow> spans = new ArrayList<>();
        for (int j = 1; j <= 4; j++) {
            String t = String.format("%032x", 0xfeed00L + j);
            long start = nanos(T0.plus(Duration.ofSeconds(30 + j)));
            spans.add(span(t, String.format("%016x", 0x1000L + j), "", "inventory", "StockJob.run", SpanKind.INTERNAL,
                    start, ms(j), StatusCode.UNSET, Map.of("code.function.name", "shop.StockJob.run"), List.of()));
            spans.add(span(t, String.format("%016x", 0x2000L + j), String.format("%016x", 0x1000L + j), "inventory",
                    "StockRepository.load", SpanKind.INTERNAL, start, ms(j) / 2, StatusCode.UNSET,
                    Map.of("code.function.name", "shop.StockRepository.load"), List.of()));
        }
        return TelemetryBatch.ofSpans(spans);
    }

    static TelemetryBatch mailerLogs() {
        long start = nanos(T0.plus(Duration.ofSeconds(90)));
        return TelemetryBatch.ofLogs(List.of(
                log(start, "mailer", 13, "WARN", "queue \"outbox\" is slow", "", "", Map.of("queue", "outbox")),
                log(start + ms(1), "mailer", 9, "", "sent 3 mails", "", "", Map.of())));
    }

    /** Writes the whole fixture, one batch per request, as a collector would. */
    static void writeAll(Store store) {
        for (int i = 0; i < REQUESTS; i++) {
            store.write(request(i));
        }
        store.write(inventoryJob());
        store.write(mailerLogs());
    }

    static TimeRange window() {
        return new TimeRange(T0, T0.plus(Duration.ofMinutes(10)));
    }
}
