package dev.plumb.collector.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plumb.collector.ApiClient;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A firing alert reaches a real Alertmanager (Debian's {@code prometheus-alertmanager}) on
 * loopback, which lists it with Plumb's labels and annotations on its own {@code /api/v2/alerts}.
 * Skipped outside CI when the binary is missing.
 */
class AlertmanagerDeliveryIT {
    private static final Path ALERTMANAGER = Paths.get("/usr/bin/prometheus-alertmanager");

    @TempDir
    Path data;
    @TempDir
    Path work;

    @Test
    void aFiringAlertIsListedByAlertmanager() throws Exception {
        if (!Files.isExecutable(ALERTMANAGER)) {
            assertThat(System.getenv("CI")).as("CI=true needs Debian's prometheus-alertmanager at " + ALERTMANAGER)
                    .isNotEqualTo("true");
            assumeTrue(false, "skipped: no Alertmanager at " + ALERTMANAGER + " (apt-get install prometheus-alertmanager)");
        }
        int port = freePort();
        Path config = work.resolve("alertmanager.yml");
        Files.writeString(config, "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n");
        Process alertmanager = new ProcessBuilder(ALERTMANAGER.toString(), "--config.file=" + config,
                "--storage.path=" + work.resolve("store"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=").redirectErrorStream(true).redirectOutput(work.resolve("am.log").toFile())
                .start();
        try {
            ApiClient am = new ApiClient(port);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> am.get("/-/ready").status() == 200);

            Duration eval = Duration.ofSeconds(1);
            try (Collector collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data)
                    .withAlertEvalInterval(eval))) {
                Traffic.requests(collector.store(), "checkout", 200, 50, Duration.ofMillis(20));
                String body = """
                        {"name": "checkout errors", "service": "checkout", "signal": "error_rate", "op": ">",
                         "threshold": 0.1, "window": "1m", "for": "1s", "severity": "critical",
                         "channels": [{"type": "alertmanager", "url": "http://127.0.0.1:%d"}]}
                        """.formatted(port);
                ApiClient.Answer created = new ApiClient(collector.httpPort()).post("/api/v1/alerts", "application/json",
                        null, body.getBytes(StandardCharsets.UTF_8));
                assertThat(created.status()).as(created.text()).isEqualTo(201);

                await().atMost(Duration.ofSeconds(20)).until(() -> am.json("/api/v2/alerts").size() > 0);
                JsonNode alert = am.json("/api/v2/alerts").get(0);
                assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("checkout errors");
                assertThat(alert.get("labels").get("service").asText()).isEqualTo("checkout");
                assertThat(alert.get("labels").get("severity").asText()).isEqualTo("critical");
                assertThat(alert.get("annotations").get("summary").asText()).startsWith("FIRING checkout errors")
                        .contains("is 0.25 fraction of requests");
                assertThat(alert.get("status").get("state").asText()).isEqualTo("active");
                assertThat(alert.get("generatorURL").asText()).contains("/api/v1/alerts/" + created.json().get("id").asText());
            }
        } finally {
            alertmanager.destroy();
            alertmanager.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
