package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.agent.OtlpReceiver.ReceivedLog;
import dev.plumb.testapp.UnsampledApp;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A call the sampler drops still counts in the histogram, and still has a trace context, as the
 * OpenTelemetry SDK's non-recording spans do: the MDC, outgoing requests and its error log carry
 * its trace with the sampled flag off.
 */
class SamplingIT {

    private static final String CHARGE = "dev.plumb.testapp.Payments.charge";
    private static final String APP = "dev.plumb.testapp.UnsampledApp";
    private static final String INCOMING_TRACE = UnsampledApp.INCOMING.substring(3, 35);
    private static final String INCOMING_PARENT = UnsampledApp.INCOMING.substring(36, 52);
    /** {@code mdc=<trace_id>-<span_id>-<trace_flags> sent=<traceparent>} of {@code UnsampledApp.Forwarder.forward}. */
    private static final Pattern FORWARDED = Pattern.compile(
            "mdc=([0-9a-f]{32})-([0-9a-f]{16})-(\\d\\d) sent=00-([0-9a-f]{32})-([0-9a-f]{16})-(\\d\\d)");

    @Test
    void sampledOutCallsStillCountInTheHistogram() throws Exception {
        int prometheusPort = ForkedApp.freePort();
        Map<String, String> env;
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            env = ForkedApp.quickExport(receiver.endpoint(), "sampled", prometheusPort);
            env.put("OTEL_TRACES_SAMPLER", "traceidratio");
            env.put("OTEL_TRACES_SAMPLER_ARG", "0");
            try (ForkedApp app = ForkedApp.start(env, "dev.plumb.testapp.MonitoredApp")) {
                app.awaitLine("READY", 30_000);
                AgentMetrics metrics = AgentMetrics.scrape(prometheusPort);
                assertThat(metrics.count(CHARGE, "ok", "")).isEqualTo(180);
                assertThat(metrics.count(CHARGE, "error", "java.lang.IllegalStateException")).isEqualTo(20);
                // Metrics reach the receiver over OTLP, so spans would have too (their batches are shorter).
                long deadline = System.currentTimeMillis() + 10_000;
                while (receiver.points.isEmpty() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(receiver.points).isNotEmpty();
                assertThat(receiver.spans).isEmpty();
                app.finishInput();
                assertThat(app.await(20)).isZero();
            }
        }
    }

    @Test
    void sampledOutCallsKeepTheirTraceForLogsAndOutgoingRequests() throws Exception {
        int prometheusPort = ForkedApp.freePort();
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Map<String, String> env = ForkedApp.quickExport(receiver.endpoint(), "unsampled", prometheusPort);
            env.put("OTEL_TRACES_SAMPLER", "parentbased_traceidratio");
            env.put("OTEL_TRACES_SAMPLER_ARG", "0");
            try (ForkedApp app = ForkedApp.start(ForkedApp.javaHome(),
                    ForkedApp.appClassPathWith("/reactor-core", "/reactive-streams"), env, APP)) {
                app.awaitLine("READY", 30_000);
                String out = app.stdout();

                // A request whose traceparent says "not sampled": its handler and the nested call keep
                // that trace (each with a span id of its own) and send it on, still not sampled.
                String incoming = app.awaitLine("INCOMING ", 1_000);
                Matcher handler = Pattern.compile("handler=([0-9a-f]{32})-([0-9a-f]{16})-(\\d\\d)").matcher(incoming);
                assertThat(handler.find()).as(out + app.stderr()).isTrue();
                assertThat(handler.group(1)).isEqualTo(INCOMING_TRACE);
                assertThat(handler.group(2)).isNotEqualTo(INCOMING_PARENT);
                assertThat(handler.group(3)).isEqualTo("00");
                Matcher nested = FORWARDED.matcher(incoming);
                assertThat(nested.find()).as(incoming).isTrue();
                assertThat(nested.group(1)).isEqualTo(INCOMING_TRACE);
                assertThat(nested.group(2)).isNotEqualTo(handler.group(2));
                assertThat(nested.group(3)).isEqualTo("00");
                assertThat(incoming).contains(" sent=00-" + INCOMING_TRACE + "-" + nested.group(2) + "-00");

                // A root the ratio drops starts a trace of its own and sends it on, not sampled (02 is
                // W3C's random-trace-id flag alone, as a sampled root's 03 is that flag and sampled).
                Matcher root = FORWARDED.matcher(app.awaitLine("ROOT ", 1_000));
                assertThat(root.find()).as(out).isTrue();
                assertThat(root.group(1)).isNotEqualTo(INCOMING_TRACE);
                assertThat(root.group(4) + "-" + root.group(5) + "-" + root.group(6))
                        .isEqualTo(root.group(1) + "-" + root.group(2) + "-02");
                assertThat(root.group(3)).isEqualTo("02");
                assertThat(out).contains("MDC_AFTER trace_id=null");

                // Its error log carries its trace too.
                String failedTrace = app.awaitLine("FAILED ", 1_000).replaceAll(".* ", "");
                assertThat(failedTrace).matches("[0-9a-f]{32}");
                ReceivedLog failure = receiver.awaitLog(log -> log.body().startsWith("Forwarder.fail failed: "),
                        Duration.ofSeconds(10));
                assertThat(failure.traceId()).isEqualTo(failedTrace);
                assertThat(failure.spanId()).matches("[0-9a-f]{16}").isNotEqualTo("0000000000000000");

                // Every call counts in the histogram; no span is exported.
                AgentMetrics metrics = AgentMetrics.scrape(prometheusPort);
                assertThat(metrics.count("dev.plumb.testapp.UnsampledApp$FrontHandler.handle", "ok", "")).isEqualTo(1);
                assertThat(metrics.count("dev.plumb.testapp.ClientPropagationApp$EchoHandler.handle", "ok", "")).isEqualTo(2);
                assertThat(metrics.count("dev.plumb.testapp.UnsampledApp$Forwarder.forward", "ok", "")).isEqualTo(2);
                assertThat(metrics.count("dev.plumb.testapp.UnsampledApp$Forwarder.fail", "error",
                        "java.lang.IllegalStateException")).isEqualTo(1);
                assertThat(out).contains("RESUBSCRIBED quote quote");
                assertThat(metrics.count("dev.plumb.testapp.UnsampledApp$Forwarder.quote", "ok", "")).isEqualTo(1);
                assertThat(receiver.spans).isEmpty();
                assertThat(app.stderr()).doesNotContain("[plumb-agent] ERROR");
                app.finishInput();
                assertThat(app.await(20)).isZero();
            }
        }
    }
}
