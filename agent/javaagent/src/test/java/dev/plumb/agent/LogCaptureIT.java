package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.agent.OtlpReceiver.ReceivedLog;
import dev.plumb.agent.OtlpReceiver.ReceivedSpan;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** PLUMB_CAPTURE_LOGS=true exports the app's own Logback, Log4j 2 and JUL events with their trace context. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogCaptureIT {

    private static final String APP = "dev.plumb.testapp.LoggingApp";

    private OtlpReceiver receiver;
    private ForkedApp app;

    @BeforeAll
    void runAppWithCapture() throws Exception {
        receiver = new OtlpReceiver();
        app = start(receiver, "true");
        assertThat(app.await(30)).as(app.stderr()).isZero();
    }

    @AfterAll
    void stop() {
        app.close();
        receiver.close();
    }

    @Test
    void appLogEventsCarryTheSpanOfTheCallThatLoggedThem() throws Exception {
        ReceivedSpan run = receiver.awaitSpan("Checkout.run", Duration.ofSeconds(10));
        List<ReceivedLog> logs = awaitLogs(receiver, 6);

        ReceivedLog logback = only(logs, "logback inside c-1");
        ReceivedLog log4j = only(logs, "log4j inside c-1");
        ReceivedLog jul = only(logs, "jul inside c-1");
        for (ReceivedLog log : List.of(logback, log4j, jul)) {
            assertThat(log.traceId()).as(log.body()).isEqualTo(run.traceId());
            assertThat(log.spanId()).as(log.body()).isEqualTo(run.spanId());
            assertThat(log.service()).isEqualTo("shop");
            assertThat(log.attributes()).containsEntry("thread.name", "main");
        }
        assertThat(logback.severityText()).isEqualTo("INFO");
        assertThat(logback.severityNumber()).isEqualTo(9);
        assertThat(logback.scope()).isEqualTo("app.logback");
        assertThat(log4j.severityText()).isEqualTo("WARN");
        assertThat(log4j.severityNumber()).isEqualTo(13);
        assertThat(log4j.scope()).isEqualTo("app.log4j");
        assertThat(jul.severityText()).isEqualTo("INFO");
        assertThat(jul.scope()).isEqualTo("app.jul");

        assertThat(only(logs, "outside any span").traceId()).isEmpty();
    }

    @Test
    void exceptionsAreAttributesAndSeverityFollowsTheLevel() throws Exception {
        List<ReceivedLog> logs = awaitLogs(receiver, 6);
        ReceivedLog logback = only(logs, "logback with exception");
        assertThat(logback.severityNumber()).isEqualTo(17);
        assertThat(logback.attributes())
                .containsEntry("exception.type", "java.lang.IllegalStateException")
                .containsEntry("exception.message", "boom");
        assertThat(logback.attributes().get("exception.stacktrace")).contains("at dev.plumb.testapp.LoggingApp.main");
        ReceivedLog jul = only(logs, "jul with exception");
        assertThat(jul.severityText()).isEqualTo("SEVERE");
        assertThat(jul.severityNumber()).isEqualTo(17);
        assertThat(jul.attributes()).containsEntry("exception.type", "java.lang.IllegalArgumentException");
        // Events below each library's level are not exported; nothing is exported twice.
        assertThat(logs).extracting(ReceivedLog::body).doesNotContain(
                "logback below level", "log4j below level", "jul below level");
        assertThat(logs).extracting(ReceivedLog::body).doesNotHaveDuplicates();
        assertThat(app.stderr()).doesNotContain("[plumb-agent] ERROR");
    }

    @Test
    void withoutTheSettingNoAppLogIsExported() throws Exception {
        try (OtlpReceiver plain = new OtlpReceiver(); ForkedApp uncaptured = start(plain, "false")) {
            assertThat(uncaptured.await(30)).as(uncaptured.stderr()).isZero();
            plain.awaitSpan("Checkout.run", Duration.ofSeconds(10));
            assertThat(uncaptured.stdout()).contains("LOGGED");
            assertThat(plain.logs).isEmpty();
        }
    }

    @Test
    void capturesJulLogbackAndLog4jOnTheNewestJdk() throws Exception {
        assumeTrue(Files.isExecutable(Paths.get(ForkedApp.JAVA_25)), "no Temurin 25 at " + ForkedApp.JAVA_25);
        try (OtlpReceiver newest = new OtlpReceiver(); ForkedApp onNewest = start(ForkedApp.JAVA_25, newest, "true")) {
            assertThat(onNewest.await(30)).as(onNewest.stderr()).isZero();
            ReceivedSpan run = newest.awaitSpan("Checkout.run", Duration.ofSeconds(10));
            List<ReceivedLog> logs = awaitLogs(newest, 6);
            for (String body : List.of("logback inside c-1", "log4j inside c-1", "jul inside c-1")) {
                assertThat(only(logs, body).spanId()).as(body).isEqualTo(run.spanId());
            }
            assertThat(onNewest.stderr()).doesNotContain("[plumb-agent] ERROR");
        }
    }

    private static ForkedApp start(OtlpReceiver receiver, String capture) throws Exception {
        return start(ForkedApp.javaHome(), receiver, capture);
    }

    private static ForkedApp start(String java, OtlpReceiver receiver, String capture) throws Exception {
        Map<String, String> env = ForkedApp.quickExport(receiver.endpoint(), "shop", 0);
        env.put("PLUMB_CAPTURE_LOGS", capture);
        return ForkedApp.start(java, ForkedApp.appClassPathWith("/log4j-api", "/log4j-core"), env, APP);
    }

    private static ReceivedLog only(List<ReceivedLog> logs, String body) {
        List<ReceivedLog> matching = logs.stream().filter(log -> log.body().equals(body)).toList();
        assertThat(matching).as("records with body '" + body + "' in " + logs).hasSize(1);
        return matching.get(0);
    }

    private static List<ReceivedLog> awaitLogs(OtlpReceiver receiver, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (receiver.logs.size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        return List.copyOf(receiver.logs);
    }
}
