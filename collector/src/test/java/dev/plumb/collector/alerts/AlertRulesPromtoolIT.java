package dev.plumb.collector.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.collector.ApiClient;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/alerts/rules.yaml} is a rule file that Debian's {@code promtool check rules}
 * accepts, with one rule per subscription over the agent's {@code monitor_duration_seconds}.
 * Skipped outside CI when promtool is missing.
 */
class AlertRulesPromtoolIT {
    private static final Path PROMTOOL = Paths.get("/usr/bin/promtool");

    @TempDir
    Path data;
    @TempDir
    Path work;

    @Test
    void promtoolAcceptsTheExportedRules() throws Exception {
        if (!Files.isExecutable(PROMTOOL)) {
            assertThat(System.getenv("CI")).as("CI=true needs Debian's prometheus package at " + PROMTOOL)
                    .isNotEqualTo("true");
            assumeTrue(false, "skipped: no promtool at " + PROMTOOL + " (apt-get install prometheus)");
        }
        try (Collector collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data))) {
            Traffic.requests(collector.store(), "check\"out", 300, 3, Duration.ofMillis(40));
            Traffic.errorLogs(collector.store(), "check\"out", 2, "declined");
            ApiClient api = new ApiClient(collector.httpPort());
            create(api, "error_rate", ">", "0.05", "", "Checkout's errors (5%)");
            create(api, "latency_p99", ">=", "250", "", "99th percentile");
            create(api, "throughput", "<", "0.5", "", "traffic 'dropped'");
            create(api, "log_count", ">", "10", "\"query\": \"severity:ERROR\",", "declines");

            ApiClient.Answer rules = api.get("/api/v1/alerts/rules.yaml");
            assertThat(rules.status()).isEqualTo(200);
            assertThat(rules.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/yaml"));
            String yaml = rules.text();
            assertThat(yaml).contains("- alert: Checkout_s_errors_5")
                    .contains("sum(rate(monitor_duration_seconds_count{job=\"check\\\"out\",outcome=\"error\"}[5m]))"
                            + " / sum(rate(monitor_duration_seconds_count{job=\"check\\\"out\"}[5m])) > 0.05")
                    .contains("histogram_quantile(0.99, sum by (le) (rate(monitor_duration_seconds_bucket{job=\"check\\\"out\"}[5m]))) * 1000 >= 250")
                    .contains("# declines");

            Path file = work.resolve("plumb-rules.yaml");
            Files.writeString(file, yaml);
            Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "rules", file.toString())
                    .redirectErrorStream(true).start();
            assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(promtool.exitValue()).as(out + "\n" + yaml).isZero();
            assertThat(out).contains("SUCCESS: 3 rules found");
        }
    }

    private static void create(ApiClient api, String signal, String op, String threshold, String extra, String name) {
        String body = """
                {"name": "%s", "service": "check\\"out", "signal": "%s", "op": "%s", "threshold": %s, %s
                 "window": "5m", "for": "5m", "channels": [{"type": "webhook", "url": "http://127.0.0.1:9/hook"}]}
                """.formatted(name.replace("\"", "\\\""), signal, op, threshold, extra);
        ApiClient.Answer a = api.post("/api/v1/alerts", "application/json", null, body.getBytes(StandardCharsets.UTF_8));
        assertThat(a.status()).as(a.text()).isEqualTo(201);
    }
}
