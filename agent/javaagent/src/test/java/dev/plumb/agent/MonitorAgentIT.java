package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.agent.OtlpReceiver.ReceivedLog;
import dev.plumb.agent.OtlpReceiver.ReceivedSpan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** One app under the real agent in a forked JVM; each test checks one promise of @Monitor. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorAgentIT {

    private static final String APP = "dev.plumb.testapp.MonitoredApp";
    private static final String CHARGE = "dev.plumb.testapp.Payments.charge";

    private OtlpReceiver receiver;
    private ForkedApp app;
    private int prometheusPort;

    @BeforeAll
    void runApp() throws Exception {
        receiver = new OtlpReceiver();
        prometheusPort = ForkedApp.freePort();
        app = ForkedApp.start(ForkedApp.quickExport(receiver.endpoint(), "checkout", prometheusPort), APP);
        app.awaitLine("READY", 30_000);
    }

    @AfterAll
    void stop() throws Exception {
        app.finishInput();
        app.await(20);
        receiver.close();
    }

    @Test
    void spanPerCallNamedByClassAndMethod() throws Exception {
        ReceivedSpan place = receiver.awaitSpan("Orders.place", Duration.ofSeconds(10));
        assertThat(place.service()).isEqualTo("checkout");
        assertThat(place.attributes())
                .containsEntry("code.function.name", "dev.plumb.testapp.Orders.place")
                .containsEntry("order.id", "o-1");
        assertThat(place.kind()).isEqualTo("SPAN_KIND_INTERNAL");
    }

    @Test
    void nestedCallIsChildSpan() throws Exception {
        ReceivedSpan place = receiver.awaitSpan("Orders.place", Duration.ofSeconds(10));
        ReceivedSpan reserve = receiver.awaitSpan("reserve-stock", Duration.ofSeconds(10));
        assertThat(reserve.traceId()).isEqualTo(place.traceId());
        assertThat(reserve.parentSpanId()).isEqualTo(place.spanId());
        assertThat(place.parentSpanId()).isEmpty();
    }

    @Test
    void exceptionIsRethrownUnchanged() throws Exception {
        assertThat(app.awaitLine("SAME_EXCEPTION", 1000))
                .isEqualTo("SAME_EXCEPTION true out of stock: o-2 true top=fail");
    }

    @Test
    void throwMakesErrorSpanAndOneErrorLogWithTraceIds() throws Exception {
        ReceivedSpan fail = receiver.awaitSpan("Orders.fail", Duration.ofSeconds(10));
        assertThat(fail.statusCode()).isEqualTo(2);
        assertThat(fail.events()).containsExactly("exception");
        ReceivedLog log = awaitLog("Orders.fail failed: out of stock: o-2");
        assertThat(log.severityText()).isEqualTo("ERROR");
        assertThat(log.traceId()).isEqualTo(fail.traceId());
        assertThat(log.spanId()).isEqualTo(fail.spanId());
        assertThat(log.attributes())
                .containsEntry("exception.type", "java.lang.IllegalStateException")
                .containsEntry("exception.message", "out of stock: o-2");
        assertThat(log.attributes().get("exception.stacktrace")).contains("at dev.plumb.testapp.Orders.fail");
    }

    @Test
    void expectedExceptionCountsAsOk() throws Exception {
        ReceivedSpan validate = receiver.awaitSpan("Orders.validate", Duration.ofSeconds(10));
        assertThat(validate.statusCode()).isZero();
        assertThat(app.awaitLine("EXPECTED_THROWN", 1000)).isEqualTo("EXPECTED_THROWN empty input");
        assertThat(scrape("text/plain")).contains(
                "monitor_duration_seconds_count{code_function_name=\"dev.plumb.testapp.Orders.validate\","
                        + "error_type=\"\",outcome=\"ok\"} 1");
    }

    @Test
    void mdcCarriesTraceIdDuringTheCallOnly() throws Exception {
        ReceivedSpan place = receiver.awaitSpan("Orders.place", Duration.ofSeconds(10));
        assertThat(app.awaitLine("MDC_DURING", 1000)).isEqualTo("MDC_DURING trace_id=" + place.traceId()
                + " span_id=" + place.spanId() + " trace_flags=03");
        assertThat(app.awaitLine("MDC_AFTER", 1000)).isEqualTo("MDC_AFTER trace_id=null");
    }

    @Test
    void asyncSpanLastsUntilTheFutureCompletes() throws Exception {
        ReceivedSpan async = receiver.awaitSpan("Orders.slowAsync", Duration.ofSeconds(10));
        assertThat(async.durationMillis()).isGreaterThanOrEqualTo(300);
        assertThat(async.statusCode()).isZero();
    }

    @Test
    void prometheusCountsAreExact() throws Exception {
        String text = scrape("text/plain");
        assertThat(text).contains("monitor_duration_seconds_count{code_function_name=\"" + CHARGE
                + "\",error_type=\"\",outcome=\"ok\"} 180");
        assertThat(text).contains("monitor_duration_seconds_count{code_function_name=\"" + CHARGE
                + "\",error_type=\"java.lang.IllegalStateException\",outcome=\"error\"} 20");
    }

    @Test
    void openMetricsCarriesExemplarsWithTraceAndSpanIds() throws Exception {
        String text = scrape("application/openmetrics-text; version=1.0.0; charset=utf-8");
        List<String> bucketsWithExemplars = text.lines()
                .filter(line -> line.startsWith("monitor_duration_seconds_bucket{") && line.contains(" # {"))
                .toList();
        assertThat(bucketsWithExemplars).isNotEmpty();
        assertThat(bucketsWithExemplars.get(0)).containsPattern("span_id=\"[0-9a-f]{16}\"")
                .containsPattern("trace_id=\"[0-9a-f]{32}\"");
    }

    @Test
    void histogramIsExportedOverOtlpInSeconds() throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            boolean found = receiver.points.stream().anyMatch(point -> point.metric().equals("monitor.duration")
                    && point.unit().equals("s")
                    && CHARGE.equals(point.attributes().get("code.function.name"))
                    && "error".equals(point.attributes().get("outcome"))
                    && "java.lang.IllegalStateException".equals(point.attributes().get("error.type"))
                    && point.count() == 20);
            if (found) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no monitor.duration point with 20 errors for " + CHARGE + "; got " + receiver.points.stream().filter(point -> point.metric().equals("monitor.duration")).toList());
    }

    private ReceivedLog awaitLog(String body) throws InterruptedException {
        return receiver.awaitLog(log -> log.body().equals(body), Duration.ofSeconds(10));
    }

    private String scrape(String accept) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/metrics"))
                        .header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
