package dev.plumb.collector.alerts;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.telemetry.LogRow;
import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Requests of a service written straight into the store, as the OTLP receivers would write them. */
final class Traffic {
    private static final AtomicLong IDS = new AtomicLong(1);

    private Traffic() {
    }

    /**
     * Writes {@code requests} SERVER spans of {@code service} spread over the 30 seconds before
     * now, the first {@code errors} of them with status ERROR, each lasting {@code latency}.
     */
    static void requests(Store store, String service, int requests, int errors, Duration latency) {
        Instant now = Instant.now();
        List<SpanRow> spans = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            long start = nanos(now.minusMillis(30_000L * (i + 1) / (requests + 1)));
            long id = IDS.getAndIncrement();
            spans.add(new SpanRow(HexFormat.of().toHexDigits(id) + HexFormat.of().toHexDigits(id),
                    HexFormat.of().toHexDigits(id), "", service, "GET /checkout", SpanKind.SERVER, start,
                    start + latency.toNanos(), i < errors ? StatusCode.ERROR : StatusCode.OK, "",
                    Map.of(), Map.of("service.name", service), "test", List.of(), List.of()));
        }
        store.write(TelemetryBatch.ofSpans(spans));
    }

    /** Writes {@code count} ERROR log records of {@code service} from the last 30 seconds. */
    static void errorLogs(Store store, String service, int count, String body) {
        Instant now = Instant.now();
        List<LogRow> logs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long t = nanos(now.minusMillis(30_000L * (i + 1) / (count + 1)));
            logs.add(new LogRow(t, t, service, 17, "ERROR", body, "", "", Map.of(), Map.of("service.name", service),
                    "test"));
        }
        store.write(TelemetryBatch.ofLogs(logs));
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
