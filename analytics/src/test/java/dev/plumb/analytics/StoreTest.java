package dev.plumb.analytics;

import static dev.plumb.analytics.CheckoutFixture.T0;
import static dev.plumb.analytics.CheckoutFixture.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.analytics.logs.LogQueryException;
import dev.plumb.analytics.logs.LogView;
import dev.plumb.analytics.red.RedPoint;
import dev.plumb.analytics.red.ServiceSummary;
import dev.plumb.analytics.servicemap.ServiceEdge;
import dev.plumb.analytics.traces.SpanNode;
import dev.plumb.analytics.traces.TraceSearch;
import dev.plumb.analytics.traces.TraceSummary;
import dev.plumb.analytics.traces.TraceTree;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    @TempDir
    static Path dataDir;
    static Store store;

    @BeforeAll
    static void writeFixture() {
        store = Store.open(dataDir);
        CheckoutFixture.writeAll(store);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void listsEveryServiceSeenWithRedFiguresFromEntrySpansOnly() {
        List<ServiceSummary> services = store.services(CheckoutFixture.window());

        assertThat(services).extracting(ServiceSummary::name)
                .containsExactly("frontend", "inventory", "mailer", "payment");
        ServiceSummary payment = services.get(3);
        // Ten SERVER spans of 10..100 ms; the nested @Monitor spans are not counted again.
        assertThat(payment.requests()).isEqualTo(10);
        assertThat(payment.errors()).isEqualTo(2);
        assertThat(payment.errorRate()).isEqualTo(0.2);
        assertThat(payment.p50Ms()).isCloseTo(55.0, within(1e-9));
        assertThat(payment.p95Ms()).isCloseTo(95.5, within(1e-9));
        assertThat(payment.p99Ms()).isCloseTo(99.1, within(1e-9));

        ServiceSummary frontend = services.get(0);
        assertThat(frontend.requests()).isEqualTo(10);
        assertThat(frontend.errors()).isZero();
        assertThat(frontend.p50Ms()).isCloseTo(204.5, within(1e-9));
        assertThat(frontend.p99Ms()).isCloseTo(208.91, within(1e-9));
    }

    @Test
    void countsRootMonitorSpansAsRequestsButNotTheirNestedMonitorSpans() {
        ServiceSummary inventory = store.services(CheckoutFixture.window()).get(1);

        assertThat(inventory.requests()).isEqualTo(4);
        assertThat(inventory.p50Ms()).isCloseTo(2.5, within(1e-9));
        assertThat(inventory.p95Ms()).isCloseTo(3.85, within(1e-9));
        assertThat(inventory.p99Ms()).isCloseTo(3.97, within(1e-9));
    }

    @Test
    void listsAServiceThatOnlyLoggedWithZeroRequests() {
        ServiceSummary mailer = store.services(CheckoutFixture.window()).get(2);

        assertThat(mailer).isEqualTo(new ServiceSummary("mailer", 0, 0, 0, 0, 0, 0));
    }

    @Test
    void leavesOutServicesSeenOnlyOutsideTheWindow() {
        TimeRange before = new TimeRange(T0.minus(Duration.ofHours(1)), T0);

        assertThat(store.services(before)).isEmpty();
    }

    @Test
    void fillsEveryRedStepFromTheStartIncludingEmptyOnes() {
        TimeRange range = new TimeRange(T0, T0.plus(Duration.ofMinutes(12)));

        List<RedPoint> points = store.red("payment", range, Duration.ofMinutes(2));

        assertThat(points).extracting(RedPoint::ts).containsExactly(T0, T0.plusSeconds(120), T0.plusSeconds(240),
                T0.plusSeconds(360), T0.plusSeconds(480), T0.plusSeconds(600));
        assertThat(points).extracting(RedPoint::requests).containsExactly(2L, 2L, 2L, 2L, 2L, 0L);
        assertThat(points).extracting(RedPoint::errors).containsExactly(0L, 1L, 0L, 1L, 0L, 0L);
        assertThat(points).extracting(RedPoint::errorRate).containsExactly(0.0, 0.5, 0.0, 0.5, 0.0, 0.0);
        assertThat(points).extracting(RedPoint::p50Ms).containsExactly(15.0, 35.0, 55.0, 75.0, 95.0, 0.0);
    }

    @Test
    void refusesAStepThatMakesTooManyPoints() {
        assertThatThrownBy(() -> store.red("payment", CheckoutFixture.window(), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("600000 points");
    }

    @Test
    void findsErrorLogsOfAServiceNewestFirst() {
        List<LogView> logs = store.logs("service:payment AND status:error", CheckoutFixture.window(), 100);

        assertThat(logs).extracting(LogView::traceId).containsExactly(traceId(7), traceId(3));
        LogView newest = logs.get(0);
        assertThat(newest.body()).isEqualTo("PaymentService.charge failed: card declined");
        assertThat(newest.severity()).isEqualTo("ERROR");
        assertThat(newest.spanId()).isEqualTo(CheckoutFixture.spanId(7, 5));
        assertThat(newest.ts()).isEqualTo(T0.plus(Duration.ofMinutes(7)).plusMillis(5));
        assertThat(newest.attributes()).containsEntry("http.status_code", 500L)
                .containsEntry("exception.type", "shop.CardDeclined");
    }

    @Test
    void answersEveryConstructOfTheQueryLanguage() {
        TimeRange w = CheckoutFixture.window();
        assertThat(store.logs("http.status_code>=500", w, 100)).hasSize(2);
        assertThat(store.logs("duration>50ms", w, 100)).hasSize(5);
        assertThat(store.logs("duration>0.05s", w, 100)).hasSize(5);
        assertThat(store.logs("status:warn", w, 100)).hasSize(3);
        assertThat(store.logs("NOT service:payment", w, 100)).extracting(LogView::service).containsOnly("mailer").hasSize(2);
        assertThat(store.logs("service:pay* declined", w, 100)).hasSize(2);
        assertThat(store.logs("\"CARD DECLINED\"", w, 100)).hasSize(2);
        assertThat(store.logs("body:\"queue \\\"outbox\\\"\"", w, 100)).hasSize(1);
        assertThat(store.logs("queue:outbox OR exception.type:shop.CardDeclined", w, 100)).hasSize(3);
        assertThat(store.logs("service.name:mailer", w, 100)).hasSize(2);
        assertThat(store.logs("exception.type:*", w, 100)).hasSize(2);
        assertThat(store.logs("trace_id:" + traceId(3).toUpperCase(), w, 100)).hasSize(1);
        assertThat(store.logs("(service:mailer OR status:error) AND NOT sent", w, 100)).hasSize(3);
        assertThat(store.logs("", w, 100)).hasSize(12);
        assertThat(store.logs("", w, 4)).hasSize(4);
    }

    @Test
    void returnsLogsNewestFirstAcrossTheWholeWindowAndStopsAtTheLimit() {
        List<LogView> all = store.logs("", CheckoutFixture.window(), 100);
        List<LogView> newest3 = store.logs("service:payment", CheckoutFixture.window(), 3);

        assertThat(all).hasSize(12);
        assertThat(all).extracting(LogView::ts).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(all.get(all.size() - 1).ts()).isEqualTo(T0.plusMillis(5));
        assertThat(newest3).extracting(LogView::traceId).containsExactly(traceId(9), traceId(8), traceId(7));
    }

    @Test
    void namesTheSeverityOfALogThatHadOnlyANumber() {
        List<LogView> logs = store.logs("sent", CheckoutFixture.window(), 10);

        assertThat(logs).singleElement().extracting(LogView::severity).isEqualTo("INFO");
    }

    @Test
    void rejectsABadQueryWithItsColumn() {
        assertThatThrownBy(() -> store.logs("service:payment AND (status:error", CheckoutFixture.window(), 10))
                .isInstanceOf(LogQueryException.class)
                .hasMessageContaining("column 20")
                .extracting(e -> ((LogQueryException) e).position()).isEqualTo(20);
    }

    @Test
    void searchesTracesByServiceAndSpanStatusNewestFirst() {
        List<TraceSummary> traces = store.traces(
                new TraceSearch(CheckoutFixture.window(), "payment", "status:error", 0, 20));

        assertThat(traces).extracting(TraceSummary::traceId).containsExactly(traceId(7), traceId(3));
        TraceSummary t7 = traces.get(0);
        assertThat(t7.rootService()).isEqualTo("frontend");
        assertThat(t7.rootName()).isEqualTo("GET /checkout");
        assertThat(t7.spanCount()).isEqualTo(5);
        assertThat(t7.durationMs()).isEqualTo(207.0);
        assertThat(t7.error()).isTrue();
        assertThat(t7.startTs()).isEqualTo(T0.plus(Duration.ofMinutes(7)));
    }

    @Test
    void searchesTracesByDurationAndSpanAttributes() {
        TimeRange w = CheckoutFixture.window();
        assertThat(store.traces(new TraceSearch(w, null, null, 205, 20))).extracting(TraceSummary::traceId)
                .containsExactly(traceId(9), traceId(8), traceId(7), traceId(6), traceId(5));
        assertThat(store.traces(new TraceSearch(w, null, "name:\"POST /pay\" AND duration>=80ms", 0, 20)))
                .extracting(TraceSummary::traceId).containsExactly(traceId(9), traceId(8), traceId(7));
        assertThat(store.traces(new TraceSearch(w, null, "payment.amount>=20", 0, 20)))
                .extracting(TraceSummary::traceId).containsExactly(traceId(9), traceId(8));
        assertThat(store.traces(new TraceSearch(w, "inventory", "kind:server", 0, 20))).isEmpty();
        assertThat(store.traces(new TraceSearch(w, null, null, 0, 3))).hasSize(3);
        assertThat(store.traces(new TraceSearch(w, "payment", "status:error", 0, 20)))
                .allMatch(TraceSummary::error);
    }

    @Test
    void buildsTheTraceTreeWithEventsAndLogs() {
        TraceTree tree = store.trace(traceId(3)).orElseThrow();

        assertThat(tree.spans()).singleElement().satisfies(root -> {
            assertThat(root.name()).isEqualTo("GET /checkout");
            assertThat(root.kind()).isEqualTo("SERVER");
            assertThat(root.durationMs()).isEqualTo(203.0);
            assertThat(root.attributes()).containsEntry("http.response.status_code", 200L);
        });
        SpanNode monitor = tree.spans().get(0).children().get(0);
        SpanNode client = monitor.children().get(0);
        SpanNode server = client.children().get(0);
        SpanNode charge = server.children().get(0);
        assertThat(List.of(monitor.name(), client.name(), server.service(), charge.name()))
                .containsExactly("CheckoutController.checkout", "POST /pay", "payment", "PaymentService.charge");
        assertThat(charge.status()).isEqualTo("ERROR");
        assertThat(charge.parentSpanId()).isEqualTo(server.spanId());
        assertThat(charge.children()).isEmpty();
        assertThat(charge.events()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("exception");
            assertThat(e.attributes()).containsEntry("exception.message", "card declined");
        });
        assertThat(charge.attributes()).containsEntry("payment.amount", 15.5);
        assertThat(tree.logs()).extracting(LogView::body).containsExactly("PaymentService.charge failed: card declined");
    }

    @Test
    void answersNothingForAnUnknownTrace() {
        assertThat(store.trace("00000000000000000000000000000001")).isEmpty();
    }

    @Test
    void drawsTheServiceMapFromParentChildSpansAcrossServices() {
        List<ServiceEdge> edges = store.serviceMap(CheckoutFixture.window());

        assertThat(edges).singleElement().satisfies(e -> {
            assertThat(e.from()).isEqualTo("frontend");
            assertThat(e.to()).isEqualTo("payment");
            assertThat(e.calls()).isEqualTo(10);
            assertThat(e.errors()).isEqualTo(2);
            assertThat(e.p95Ms()).isCloseTo(95.5, within(1e-9));
        });
    }

    @Test
    void countsWhatItWrote() {
        StoreStats stats = store.stats();

        assertThat(stats.spansWritten()).isEqualTo(58);
        assertThat(stats.logsWritten()).isEqualTo(12);
        assertThat(stats.batchesWritten()).isEqualTo(12);
        assertThat(stats.queueDepth()).isZero();
        assertThat(stats.refusedBatches()).isZero();
    }

    @Test
    void givesOwnQueriesAConnectionThatSeesTheData() throws Exception {
        try (Connection c = store.openConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM spans WHERE service = 'payment'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(20);
        }
    }
}
