package dev.plumb.cli.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plumb.cli.CommandRun;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogsCommandTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @TempDir
    static Path dataDir;

    private static Collector collector;
    private static String server;

    @BeforeAll
    static void startCollectorWithTwoLogRecords() throws Exception {
        collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(dataDir));
        server = "http://127.0.0.1:" + collector.httpPort();
        long now = TimeUnit.MILLISECONDS.toNanos(Instant.now().toEpochMilli());
        String otlpJson = """
                {"resourceLogs":[
                  {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"payment"}}]},
                   "scopeLogs":[{"scope":{"name":"test"},"logRecords":[
                     {"timeUnixNano":"%d","severityNumber":17,"severityText":"ERROR",
                      "body":{"stringValue":"CardProcessor.charge failed: card network timed out"},
                      "traceId":"%s","spanId":"00f067aa0ba902b7"}]}]},
                  {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
                   "scopeLogs":[{"scope":{"name":"test"},"logRecords":[
                     {"timeUnixNano":"%d","severityNumber":9,"severityText":"INFO",
                      "body":{"stringValue":"order ord-1 placed"}}]}]}]}
                """.formatted(now, TRACE_ID, now);
        HttpResponse<String> accepted = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.otlpHttpPort() + "/v1/logs"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(otlpJson)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    }

    @AfterAll
    static void stopCollector() {
        collector.close();
    }

    @Test
    void printsMatchingRecordsAsATable() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            CommandRun run = CommandRun.of("query", "logs", "service:payment AND status:error", "--server", server);

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out().lines()).first().asString()
                    .contains("TIME (UTC)", "SERVICE", "SEVERITY", "TRACE ID", "BODY");
            assertThat(run.out()).contains("payment", "ERROR", TRACE_ID, "CardProcessor.charge failed: card network timed out",
                    "1 record").doesNotContain("checkout");
        });
    }

    @Test
    void printsTheServersJsonWithJsonFlag() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            CommandRun run = CommandRun.of("query", "logs", "service:payment", "--json", "--server", server, "--limit", "5");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("\"traceId\" : \"" + TRACE_ID + "\"", "\"severity\" : \"ERROR\"");
        });
    }

    @Test
    void queryThatDoesNotParseShowsTheServersErrorAndHint() {
        CommandRun run = CommandRun.of("query", "logs", "service:payment AND (", "--server", server);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("plumb query logs: ").contains("hint: ").doesNotContain("\tat ");
    }

    @Test
    void saysHowToStartAServerWhenNoneListens() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        CommandRun run = CommandRun.of("query", "logs", "status:error", "--server", "http://127.0.0.1:" + closedPort);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("plumb query logs: no Plumb server at http://127.0.0.1:" + closedPort
                + ": start one with ./plumb serve" + System.lineSeparator());
    }

    @Test
    void rejectsLimitOutOfRangeNamingTheFlag() {
        CommandRun run = CommandRun.of("query", "logs", "status:error", "--limit", "0", "--server", server);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--limit must be between 1 and 10000, got 0");
    }

    @Test
    void rejectsServerThatIsNotAUrl() {
        CommandRun run = CommandRun.of("query", "logs", "status:error", "--server", "localhost:4320");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--server must be a URL such as http://localhost:4320, got 'localhost:4320'");
    }
}
