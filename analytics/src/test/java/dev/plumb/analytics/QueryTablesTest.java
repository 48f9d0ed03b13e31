package dev.plumb.analytics;

import static dev.plumb.analytics.CheckoutFixture.ms;
import static dev.plumb.analytics.CheckoutFixture.nanos;
import static dev.plumb.analytics.CheckoutFixture.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.analytics.red.OperationSummary;
import dev.plumb.analytics.red.ServiceSummary;
import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import dev.plumb.analytics.traces.TraceSearch;
import dev.plumb.analytics.traces.TraceSummary;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The narrow query tables (entry_spans, service_calls, service_minutes) answer exactly what a
 * scan of spans and logs would: for databases that predate them, for spans that stop being
 * requests, and for windows that cut minutes in two. Trace search picks the newest traces first.
 */
class QueryTablesTest {
    @TempDir
    Path dataDir;

    @Test
    void databaseFromBeforeTheQueryTablesGetsThemFilledWhenItOpens() throws Exception {
        List<ServiceSummary> services;
        Object map;
        Object red;
        List<OperationSummary> operations;
        try (Store store = Store.open(dataDir)) {
            CheckoutFixture.writeAll(store);
            services = store.services(CheckoutFixture.window());
            map = store.serviceMap(CheckoutFixture.window());
            red = store.red("frontend", CheckoutFixture.window(), Duration.ofMinutes(1));
            operations = store.operations("frontend", CheckoutFixture.window());
            try (Connection c = store.openConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE entry_spans");
                s.execute("DROP TABLE service_calls");
                s.execute("DROP TABLE service_minutes");
            }
        }
        try (Store store = Store.open(dataDir)) {
            assertThat(services).extracting(ServiceSummary::name).contains("frontend", "payment", "inventory", "mailer");
            assertThat(operations).isNotEmpty();
            assertThat(store.services(CheckoutFixture.window())).isEqualTo(services);
            assertThat(store.serviceMap(CheckoutFixture.window())).isEqualTo(map);
            assertThat(store.red("frontend", CheckoutFixture.window(), Duration.ofMinutes(1))).isEqualTo(red);
            assertThat(store.operations("frontend", CheckoutFixture.window())).isEqualTo(operations);
        }
    }

    @Test
    void nestedMonitorSpanLeavesTheOperationsWhenItsServerSpanArrivesLater() {
        String trace = "0000000000000000000000000000bbbb";
        long t = nanos(CheckoutFixture.T0.plusSeconds(5));
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofSpans(List.of(span(trace, "00000000000000b2", "00000000000000b1", "api",
                    "Handler.run", SpanKind.INTERNAL, t + ms(1), ms(40), StatusCode.ERROR,
                    Map.of("code.function.name", "app.Handler.run"), List.of()))));
            assertThat(store.operations("api", CheckoutFixture.window())).extracting(OperationSummary::operation)
                    .containsExactly("Handler.run");

            store.write(TelemetryBatch.ofSpans(List.of(span(trace, "00000000000000b1", "", "api", "GET /x",
                    SpanKind.SERVER, t, ms(50), StatusCode.UNSET, Map.of(), List.of()))));

            assertThat(store.operations("api", CheckoutFixture.window()))
                    .containsExactly(new OperationSummary("GET /x", 1, 0, 0, 50, 50, 50));
        }
    }

    @Test
    void serviceListReadsPartialMinutesAtTheWindowsEdgesFromTheRecords() {
        Instant minute = CheckoutFixture.T0;
        try (Store store = Store.open(dataDir)) {
            List<dev.plumb.analytics.telemetry.LogRow> logs = new ArrayList<>();
            logs.add(log(minute.plusSeconds(10), "before-the-window"));
            logs.add(log(minute.plusSeconds(50), "in-the-first-partial-minute"));
            logs.add(log(minute.plusSeconds(150), "in-a-whole-minute"));
            logs.add(log(minute.plusSeconds(310), "in-the-last-partial-minute"));
            logs.add(log(minute.plusSeconds(330), "after-the-window"));
            store.write(TelemetryBatch.ofLogs(logs));

            TimeRange window = new TimeRange(minute.plusSeconds(30), minute.plusSeconds(320));
            assertThat(store.services(window)).extracting(ServiceSummary::name).containsExactly(
                    "in-a-whole-minute", "in-the-first-partial-minute", "in-the-last-partial-minute");
            TimeRange withinOneMinute = new TimeRange(minute.plusSeconds(5), minute.plusSeconds(20));
            assertThat(store.services(withinOneMinute)).extracting(ServiceSummary::name)
                    .containsExactly("before-the-window");
        }
    }

    private static dev.plumb.analytics.telemetry.LogRow log(Instant at, String service) {
        return CheckoutFixture.log(nanos(at), service, 9, "INFO", "hello", "", "", Map.of());
    }

    @Test
    void traceSearchWithoutADurationBoundKeepsTheNewestMatchingTraces() {
        long t0 = nanos(CheckoutFixture.T0.plusSeconds(60));
        try (Store store = Store.open(dataDir)) {
            List<SpanRow> spans = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String trace = String.format("%032x", 0xdddd00L + i);
                long start = t0 + i * ms(1_000);
                spans.add(span(trace, "00000000000000c1", "", "web", "GET /", SpanKind.SERVER, start, ms(30),
                        StatusCode.UNSET, Map.of(), List.of()));
                spans.add(span(trace, "00000000000000c2", "00000000000000c1", "db", "query", SpanKind.CLIENT,
                        start + ms(5), ms(10 + i), i % 2 == 0 ? StatusCode.ERROR : StatusCode.UNSET, Map.of(), List.of()));
            }
            store.write(TelemetryBatch.ofSpans(spans));

            List<TraceSummary> newest = store.traces(new TraceSearch(CheckoutFixture.window(), "db", "status:error", 0, 2));

            assertThat(newest).extracting(TraceSummary::traceId)
                    .containsExactly(String.format("%032x", 0xdddd04L), String.format("%032x", 0xdddd02L));
            assertThat(newest.get(0).spanCount()).isEqualTo(2);
            assertThat(newest.get(0).rootName()).isEqualTo("GET /");
            assertThat(newest.get(0).durationMs()).isEqualTo(30.0);
            assertThat(newest.get(0).error()).isTrue();
        }
    }
}
