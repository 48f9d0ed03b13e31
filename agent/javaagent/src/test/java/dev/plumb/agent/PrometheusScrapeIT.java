package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** A real Prometheus server scrapes the agent and answers the counts through its query API. */
class PrometheusScrapeIT {

    private static final Path PROMETHEUS = Paths.get("/usr/bin/prometheus");

    @Test
    void prometheusServerReadsExactCountsFromTheAgent() throws Exception {
        if (!Files.isExecutable(PROMETHEUS)) {
            assertThat(System.getenv("CI")).as("CI=true needs Debian's prometheus package at " + PROMETHEUS)
                    .isNotEqualTo("true");
            assumeTrue(false, "skipped: no Prometheus server at " + PROMETHEUS + " (apt-get install prometheus)");
        }
        int agentPort = ForkedApp.freePort();
        int prometheusPort = ForkedApp.freePort();
        Path dir = Files.createTempDirectory("plumb-prometheus");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: plumb-agent
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(agentPort));
        Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        try (OtlpReceiver receiver = new OtlpReceiver();
                ForkedApp app = ForkedApp.start(ForkedApp.quickExport(receiver.endpoint(), "checkout", agentPort),
                        "dev.plumb.testapp.MonitoredApp")) {
            app.awaitLine("READY", 30_000);
            String errors = query(prometheusPort, "sum(monitor_duration_seconds_count{code_function_name="
                    + "\"dev.plumb.testapp.Payments.charge\",outcome=\"error\"})", "20");
            String oks = query(prometheusPort, "sum(monitor_duration_seconds_count{code_function_name="
                    + "\"dev.plumb.testapp.Payments.charge\",outcome=\"ok\"})", "180");
            assertThat(errors).contains("\"20\"");
            assertThat(oks).contains("\"180\"");
            app.finishInput();
            app.await(20);
        } finally {
            prometheus.destroy();
            prometheus.waitFor();
        }
    }

    /** Polls the query API until the result carries {@code expected} or 30 s pass. */
    private static String query(int port, String promql, String expected) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        String body = "";
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                body = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains("\"" + expected + "\"")) {
                    return body;
                }
            } catch (java.io.IOException notUpYet) {
                // Prometheus is still starting.
            }
            Thread.sleep(250);
        }
        return body;
    }
}
