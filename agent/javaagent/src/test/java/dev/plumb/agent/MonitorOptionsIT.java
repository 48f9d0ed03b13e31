package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.agent.OtlpReceiver.ReceivedSpan;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The options of @Monitor, inheritance, PLUMB_MONITOR_INCLUDE/EXCLUDE and the series cap, in one app. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorOptionsIT {

    private static final String OPTIONS = "dev.plumb.testapp.OptionsApp$Options.";

    private RunningApp running;
    private OtlpReceiver receiver;
    private ForkedApp app;

    @BeforeAll
    void runApp() throws Exception {
        running = RunningApp.start("options", Map.of(
                "PLUMB_MONITOR_INCLUDE", "dev.plumb.testapp.Legacy*#*",
                "PLUMB_MONITOR_EXCLUDE", "dev.plumb.testapp.LegacyBilling#audit, dev.plumb.testapp.OptionsApp$Options#excluded*",
                // ok, cancelled and the overflow series count against the cap: two error types fit.
                "PLUMB_MAX_SERIES_PER_METHOD", "5"), ForkedApp.appClassPath(), "dev.plumb.testapp.OptionsApp");
        receiver = running.receiver;
        app = running.app;
        // Everything the app did before READY is exported within a few batches; wait for the last span.
        receiver.awaitSpan("LegacyBilling.charge", Duration.ofSeconds(10));
        Thread.sleep(300);
    }

    @AfterAll
    void stop() throws Exception {
        running.close();
    }

    @Test
    void spanFalseKeepsOnlyTheHistogram() throws Exception {
        assertThat(running.metrics().count(OPTIONS + "metricsOnly", "ok", "")).isEqualTo(5);
        assertThat(receiver.spans(span -> span.name().equals("Options.metricsOnly"))).isEmpty();
    }

    @Test
    void logFalseKeepsTheErrorSpanButNoLog() throws Exception {
        assertThat(app.stdout()).contains("QUIET_THROWN not logged");
        assertThat(receiver.awaitSpan("Options.quietFailure", Duration.ofSeconds(10)).statusCode()).isEqualTo(2);
        assertThat(receiver.logs).extracting(OtlpReceiver.ReceivedLog::body)
                .doesNotContain("Options.quietFailure failed: not logged");
        // The other failing method logs, so the logs pipeline did run.
        assertThat(receiver.logs).extracting(OtlpReceiver.ReceivedLog::body).contains("Options.failWith failed: java.lang.ArithmeticException");
    }

    @Test
    void recordReturnPutsTheValueOnTheSpan() throws Exception {
        ReceivedSpan priced = receiver.awaitSpan("Options.priced", Duration.ofSeconds(10));
        assertThat(priced.attributes()).containsEntry("code.return", "price-7");
        ReceivedSpan charge = receiver.awaitSpan("LegacyBilling.charge", Duration.ofSeconds(10));
        assertThat(charge.attributes()).doesNotContainKey("code.return");
    }

    @Test
    void callsShorterThanMinDurationKeepNoSpanButCount() throws Exception {
        assertThat(receiver.spans(span -> span.name().equals("Options.maybeSlow")))
                .singleElement()
                .satisfies(span -> assertThat(span.durationMillis()).isGreaterThanOrEqualTo(80));
        assertThat(running.metrics().count(OPTIONS + "maybeSlow", "ok", "")).isEqualTo(2);
    }

    @Test
    void inheritedMonitorReachesImplementationsOnlyWhenAskedFor() throws Exception {
        assertThat(app.stdout()).contains("GREETED hello ada HEY report");
        assertThat(receiver.awaitSpan("PoliteGreeter.greet", Duration.ofSeconds(10)).attributes())
                .containsEntry("code.function.name", "dev.plumb.testapp.OptionsApp$PoliteGreeter.greet");
        receiver.awaitSpan("ConcreteReport.render", Duration.ofSeconds(10));
        assertThat(receiver.spans(span -> span.name().equals("PlainShouter.shout"))).isEmpty();
    }

    @Test
    void includeMonitorsUnannotatedCodeAndExcludeWins() throws Exception {
        assertThat(app.stdout()).contains("BILLED 300 audited");
        assertThat(receiver.awaitSpan("LegacyBilling.charge", Duration.ofSeconds(10)).attributes())
                .containsEntry("code.function.name", "dev.plumb.testapp.LegacyBilling.charge");
        assertThat(receiver.spans(span -> span.name().equals("LegacyBilling.audit"))).isEmpty();
        assertThat(receiver.spans(span -> span.name().equals("Options.excludedDespiteAnnotation"))).isEmpty();
        AgentMetrics metrics = running.metrics();
        assertThat(metrics.count("dev.plumb.testapp.LegacyBilling.charge", "ok", "")).isEqualTo(1);
        assertThat(metrics.seriesOf("dev.plumb.testapp.LegacyBilling.audit")).isZero();
        assertThat(metrics.seriesOf(OPTIONS + "excludedDespiteAnnotation")).isZero();
    }

    @Test
    void errorTypesPastTheSeriesCapShareTheOverflowLabel() throws Exception {
        AgentMetrics metrics = running.metrics();
        String failWith = OPTIONS + "failWith";
        assertThat(metrics.count(failWith, "error", "java.lang.IllegalStateException")).isEqualTo(1);
        assertThat(metrics.count(failWith, "error", "java.lang.IllegalArgumentException")).isEqualTo(1);
        assertThat(metrics.count(failWith, "error", "_overflow")).as(metrics.toString()).isEqualTo(3);
        assertThat(metrics.count(failWith, "error", "java.lang.ArithmeticException")).isEqualTo(-1);
        // ok plus two error types plus overflow: within the cap of five.
        assertThat(metrics.seriesOf(failWith)).isEqualTo(4);
    }
}
