package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A call the sampler drops still counts in the histogram. */
class SamplingIT {

    private static final String CHARGE = "dev.plumb.testapp.Payments.charge";

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
}
