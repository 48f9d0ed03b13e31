package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.agent.OtlpReceiver.ReceivedSpan;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Vert.x futures, Reactor publishers and cancelled futures end their calls when they complete. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncOutcomeIT {

    private static final String JOBS = "dev.plumb.testapp.AsyncApp$Jobs.";

    private RunningApp running;
    private OtlpReceiver receiver;
    private ForkedApp app;

    @BeforeAll
    void runApp() throws Exception {
        running = RunningApp.start("jobs", Map.of(),
                ForkedApp.appClassPathWith("/vertx-core", "/netty-", "/jackson-core", "/reactor-core", "/reactive-streams"),
                "dev.plumb.testapp.AsyncApp");
        receiver = running.receiver;
        app = running.app;
    }

    @AfterAll
    void stop() throws Exception {
        running.close();
    }

    @Test
    void vertxFutureSpanLastsUntilTheFutureCompletes() throws Exception {
        assertThat(app.stdout()).contains("VERTX_SLOW late");
        ReceivedSpan slow = receiver.awaitSpan("Jobs.vertxSlow", Duration.ofSeconds(10));
        assertThat(slow.durationMillis()).isGreaterThanOrEqualTo(300);
        assertThat(slow.statusCode()).isZero();
        assertThat(running.metrics().count(JOBS + "vertxSlow", "ok", "")).isEqualTo(1);
    }

    @Test
    void failedVertxFutureIsAnError() throws Exception {
        assertThat(app.stdout()).contains("VERTX_FAILED vertx broke");
        ReceivedSpan failed = receiver.awaitSpan("Jobs.vertxFails", Duration.ofSeconds(10));
        assertThat(failed.statusCode()).isEqualTo(2);
        assertThat(failed.durationMillis()).isGreaterThanOrEqualTo(50);
        assertThat(running.metrics()
                .count(JOBS + "vertxFails", "error", "java.lang.IllegalStateException")).isEqualTo(1);
    }

    @Test
    void monoSpanLastsUntilItsSignal() throws Exception {
        assertThat(app.stdout()).contains("MONO_SLOW mono late", "MONO_FAILED mono broke");
        assertThat(receiver.awaitSpan("Jobs.monoSlow", Duration.ofSeconds(10)).durationMillis())
                .isGreaterThanOrEqualTo(300);
        assertThat(receiver.awaitSpan("Jobs.monoFails", Duration.ofSeconds(10)).statusCode()).isEqualTo(2);
        AgentMetrics metrics = running.metrics();
        assertThat(metrics.count(JOBS + "monoSlow", "ok", "")).isEqualTo(1);
        assertThat(metrics.count(JOBS + "monoFails", "error", "java.lang.IllegalArgumentException")).isEqualTo(1);
    }

    @Test
    void publisherSubscribedTwiceIsOneCall() throws Exception {
        assertThat(app.stdout()).contains("MONO_TWICE quote quote");
        assertThat(running.metrics().count(JOBS + "monoQuote", "ok", "")).isEqualTo(1);
    }

    @Test
    void cancelledSubscriptionAndFutureCountAsCancelled() throws Exception {
        assertThat(app.stdout()).contains("FLUX_TAKEN [0, 1, 2]", "FLUX_DONE [1, 2, 3]", "CF_CANCELLED true");
        AgentMetrics metrics = running.metrics();
        assertThat(metrics.count(JOBS + "fluxForever", "cancelled", "")).as(metrics.toString()).isEqualTo(1);
        assertThat(metrics.count(JOBS + "neverCompletes", "cancelled", "")).isEqualTo(1);
        assertThat(metrics.count(JOBS + "fluxOfThree", "ok", "")).isEqualTo(1);
        assertThat(metrics.count(JOBS + "fluxForever", "ok", "")).isZero();
        assertThat(metrics.count(JOBS + "neverCompletes", "ok", "")).isZero();

        ReceivedSpan flux = receiver.awaitSpan("Jobs.fluxForever", Duration.ofSeconds(10));
        assertThat(flux.attributes()).containsEntry("outcome", "cancelled");
        assertThat(flux.statusCode()).isZero();
        assertThat(flux.durationMillis()).isGreaterThanOrEqualTo(20);
        ReceivedSpan future = receiver.awaitSpan("Jobs.neverCompletes", Duration.ofSeconds(10));
        assertThat(future.attributes()).containsEntry("outcome", "cancelled");
    }
}
