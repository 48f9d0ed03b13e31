package dev.plumb.analytics;

import static dev.plumb.analytics.CheckoutFixture.ms;
import static dev.plumb.analytics.CheckoutFixture.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.analytics.red.ServiceSummary;
import dev.plumb.analytics.servicemap.ServiceEdge;
import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans of one trace arrive in separate requests, in any order, possibly across a restart:
 * a request is still counted once and a call between services still makes one edge.
 */
class SpansArrivingApartTest {
    private static final String TRACE = "0000000000000000000000000000aaaa";
    private static final long T = CheckoutFixture.nanos(CheckoutFixture.T0.plusSeconds(5));

    @TempDir
    Path dataDir;

    private static SpanRow server(String service) {
        return span(TRACE, "00000000000000a1", "", service, "GET /x", SpanKind.SERVER, T, ms(50), StatusCode.UNSET,
                Map.of(), List.of());
    }

    private static SpanRow monitor(String service, String parent, StatusCode status) {
        return span(TRACE, "00000000000000a2", parent, service, "Handler.run", SpanKind.INTERNAL, T + ms(1), ms(40),
                status, Map.of("code.function.name", "app.Handler.run"), List.of());
    }

    private static ServiceSummary summary(Store store, String service) {
        return store.services(CheckoutFixture.window()).stream().filter(s -> s.name().equals(service)).findFirst()
                .orElseThrow();
    }

    @Test
    void countsANestedMonitorSpanOnceWhenItArrivesBeforeItsServerSpan() {
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofSpans(List.of(monitor("api", "00000000000000a1", StatusCode.ERROR))));
            assertThat(summary(store, "api").requests()).as("parent not here yet: the span counts").isEqualTo(1);

            store.write(TelemetryBatch.ofSpans(List.of(server("api"))));

            ServiceSummary api = summary(store, "api");
            assertThat(api.requests()).isEqualTo(1);
            assertThat(api.p50Ms()).isEqualTo(50.0);
            assertThat(api.errors()).as("the SERVER span did not fail").isZero();
        }
    }

    @Test
    void countsANestedMonitorSpanOnceWhenItArrivesAfterItsServerSpan() {
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofSpans(List.of(server("api"))));
            store.write(TelemetryBatch.ofSpans(List.of(monitor("api", "00000000000000a1", StatusCode.UNSET))));

            assertThat(summary(store, "api").requests()).isEqualTo(1);
        }
    }

    @Test
    void countsANestedMonitorSpanOnceWhenTheStoreRestartedInBetween() {
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofSpans(List.of(monitor("api", "00000000000000a1", StatusCode.UNSET))));
        }
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofSpans(List.of(server("api"))));

            assertThat(summary(store, "api").requests()).isEqualTo(1);
        }
    }

    @Test
    void countsAMonitorSpanCalledFromAnotherServiceAsARequestOfItsOwn() {
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofSpans(List.of(monitor("worker", "00000000000000a1", StatusCode.ERROR))));
            store.write(TelemetryBatch.ofSpans(List.of(server("api"))));

            assertThat(summary(store, "worker").requests()).isEqualTo(1);
            assertThat(summary(store, "worker").errors()).isEqualTo(1);
            assertThat(summary(store, "api").requests()).isEqualTo(1);
        }
    }

    @Test
    void drawsAnEdgeWhenTheCalleeSpanArrivesBeforeTheCallerSpan() {
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofSpans(List.of(monitor("worker", "00000000000000a1", StatusCode.ERROR))));
            assertThat(store.serviceMap(CheckoutFixture.window())).as("caller not here yet").isEmpty();

            store.write(TelemetryBatch.ofSpans(List.of(server("api"))));

            assertThat(store.serviceMap(CheckoutFixture.window())).singleElement()
                    .isEqualTo(new ServiceEdge("api", "worker", 1, 1, 40.0));
        }
    }

    @Test
    void drawsAnEdgeWhenTheCallerSpanArrivedBeforeARestart() {
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofSpans(List.of(server("api"))));
        }
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofSpans(List.of(monitor("worker", "00000000000000a1", StatusCode.UNSET))));

            assertThat(store.serviceMap(CheckoutFixture.window())).singleElement()
                    .isEqualTo(new ServiceEdge("api", "worker", 1, 0, 40.0));
        }
    }

    @Test
    void drawsAnEdgeWhenTheCalleeSpanArrivedBeforeARestart() {
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofSpans(List.of(monitor("worker", "00000000000000a1", StatusCode.UNSET))));
        }
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofSpans(List.of(server("api"))));

            assertThat(store.serviceMap(CheckoutFixture.window())).singleElement()
                    .isEqualTo(new ServiceEdge("api", "worker", 1, 0, 40.0));
        }
    }

    @Test
    void countsAMonitorSpanWhoseParentNeverArrives() {
        try (Store store = Store.open(dataDir)) {
            store.write(TelemetryBatch.ofSpans(List.of(monitor("api", "00000000000000ff", StatusCode.UNSET))));

            assertThat(summary(store, "api").requests()).isEqualTo(1);
        }
    }

    @Test
    void resolvesParentsAcrossTransactionsThatTheLoadersRunAtTheSameTime() {
        // Two records per transaction: a trace's children and its parent land in consecutive
        // transactions, which the two loaders append at the same time.
        StoreOptions small = StoreOptions.defaults().withQueue(1_000_000, 2, Duration.ofMillis(1));
        int traces = 300;
        try (Store store = Store.open(dataDir, small)) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int t = 0; t < traces; t++) {
                String trace = "%032x".formatted(t + 1);
                long start = T + ms(t);
                SpanRow nested = span(trace, "00000000000000a2", "00000000000000a1", "api", "Handler.run",
                        SpanKind.INTERNAL, start + ms(1), ms(40), StatusCode.UNSET,
                        Map.of("code.function.name", "app.Handler.run"), List.of());
                SpanRow callee = span(trace, "00000000000000a3", "00000000000000a1", "worker", "Job.run",
                        SpanKind.INTERNAL, start + ms(2), ms(30), StatusCode.UNSET,
                        Map.of("code.function.name", "app.Job.run"), List.of());
                SpanRow parent = span(trace, "00000000000000a1", "", "api", "GET /x", SpanKind.SERVER, start, ms(50),
                        StatusCode.UNSET, Map.of(), List.of());
                acks.add(store.submit(TelemetryBatch.ofSpans(List.of(nested, callee))));
                acks.add(store.submit(TelemetryBatch.ofSpans(List.of(parent))));
            }
            acks.forEach(CompletableFuture::join);

            assertThat(summary(store, "api").requests()).as("the nested @Monitor span is not a request").isEqualTo(traces);
            assertThat(summary(store, "worker").requests()).isEqualTo(traces);
            assertThat(store.serviceMap(CheckoutFixture.window())).singleElement()
                    .isEqualTo(new ServiceEdge("api", "worker", traces, 0, 30.0));
            assertThat(store.stats().transactions()).as("about one transaction per request").isGreaterThan(traces);
        }
    }
}
