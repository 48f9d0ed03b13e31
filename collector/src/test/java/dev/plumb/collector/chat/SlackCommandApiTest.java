package dev.plumb.collector.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.analytics.Store;
import dev.plumb.analytics.cost.CostEngine;
import dev.plumb.analytics.cost.Pricing;
import dev.plumb.analytics.cost.UsageSample;
import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import dev.plumb.collector.ApiClient;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import dev.plumb.collector.alerts.AlertSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/chat/slack/command} on a real collector: requests signed as Slack signs
 * them (HMAC computed here with javax.crypto) get answers about cost and health; unsigned,
 * forged and stale ones get 401.
 */
class SlackCommandApiTest {
    private static final String SECRET = "test-signing-secret";
    private static final double GIB = 1024.0 * 1024 * 1024;

    @TempDir
    static Path data;
    static Collector collector;

    @BeforeAll
    static void start() {
        // checkout: one pod requesting 1 core and 1 GiB, every hour of the last 10 days.
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        List<UsageSample> samples = new ArrayList<>();
        for (int h = 240; h >= 1; h--) {
            samples.add(new UsageSample("checkout-0", "shop", "checkout", "commerce", null, Map.of(),
                    hour.minus(Duration.ofHours(h)), 3600.0, 0.5, 1, 0.5 * GIB, GIB, 0, 0, 0));
        }
        try (CostEngine engine = CostEngine.open(data, Pricing.defaults())) {
            engine.record(samples, "test");
        }
        collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data),
                AlertSettings.defaults(Duration.ofSeconds(15)), SECRET);
        writeRequests(collector.store());
    }

    /** 200 requests of checkout in the last minute, 10 of them errors, each taking 40 ms. */
    private static void writeRequests(Store store) {
        long now = Instant.now().toEpochMilli() * 1_000_000L;
        List<SpanRow> spans = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = HexFormat.of().toHexDigits(0x5000L + i);
            long start = now - (i + 1) * 100_000_000L;
            spans.add(new SpanRow(id + id, id, "", "checkout", "POST /pay", SpanKind.SERVER, start, start + 40_000_000L,
                    i < 10 ? StatusCode.ERROR : StatusCode.OK, "", Map.of(), Map.of(), "test", List.of(), List.of()));
        }
        store.write(TelemetryBatch.ofSpans(spans));
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    private static ApiClient.Answer send(String body, Long timestamp, String secret) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort()
                        + "/api/v1/chat/slack/command"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (timestamp != null) {
            b.header("X-Slack-Request-Timestamp", Long.toString(timestamp));
            b.header("X-Slack-Signature", hmac(secret, "v0:" + timestamp + ":" + body));
        }
        return new ApiClient(collector.httpPort()).send(b);
    }

    private static String hmac(String secret, String base) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String command(String text) {
        ApiClient.Answer a = send("token=x&team_id=T1&command=%2Fplumb&text=" + text.replace(" ", "+")
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1", Instant.now().getEpochSecond(), SECRET);
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        assertThat(a.json().get("response_type").asText()).isEqualTo("ephemeral");
        return a.json().get("text").asText();
    }

    @Test
    void healthReportsTheLastFifteenMinutesOfRequests() {
        assertThat(command("health checkout")).isEqualTo("*checkout* over the last 15m: 200 requests, 10 errors (5.00%),"
                + " latency p50 40.0 ms, p95 40.0 ms, p99 40.0 ms. No alert firing.");
        assertThat(command("health ghost")).contains("never sent");
    }

    @Test
    void costReportsTheWindowAndTheChangeFromTheWindowBefore() {
        String week = command("cost checkout 7d");
        // 1 core x 0.031611 + 1 GiB x 0.004237 per hour, for the 167 whole hours of the last 7d; 73 hours before.
        assertThat(week).isEqualTo("*checkout* cost 5.99 USD over the last 7d (CPU 5.28, memory 0.71, storage 0.00,"
                + " network 0.00). The 7d before: 2.62 USD (+129%).");
        String day = command("cost checkout 24h");
        assertThat(day).contains("over the last 24h").contains("The 24h before: ");
        double perHour = 0.031611 + 0.004237;
        double cost = Double.parseDouble(day.replaceAll("^\\*checkout\\* cost ([0-9.]+) USD.*$", "$1"));
        assertThat(cost).as(day).isBetween(23 * perHour - 0.01, 24 * perHour + 0.01);
        assertThat(command("cost")).startsWith("Usage: `/plumb cost <service> [7d]`");
        assertThat(command("cost checkout often")).contains("`often` is not a window");
    }

    @Test
    void aSignedBodyWithABadPercentEscapeIs400AfterTheSignatureIsChecked() {
        String body = "command=%2Fplumb&text=cost+%zz";
        ApiClient.Answer bad = send(body, Instant.now().getEpochSecond(), SECRET);
        assertThat(bad.status()).as(bad.text()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("body");
        assertThat(bad.json().get("error").asText()).startsWith("the form field 'text' is not URL-encoded: ");
        assertThat(send(body, Instant.now().getEpochSecond(), "someone-else").status()).isEqualTo(401);
        assertThat(send(body, null, null).status()).isEqualTo(401);
        assertThat(send("text=" + "a".repeat(ChatRoutes.MAX_BODY_BYTES), Instant.now().getEpochSecond(), SECRET).status())
                .isEqualTo(413);
    }

    @Test
    void unsignedForgedAndStaleRequestsAre401() {
        String body = "command=%2Fplumb&text=health+checkout";
        long now = Instant.now().getEpochSecond();
        assertThat(send(body, null, null).status()).isEqualTo(401);
        ApiClient.Answer forged = send(body, now, "someone-else");
        assertThat(forged.status()).isEqualTo(401);
        JsonNode error = forged.json();
        assertThat(error.get("error").asText()).contains("does not match");
        assertThat(send(body, now - 301, SECRET).status()).isEqualTo(401);
        assertThat(send(body, now - 60, SECRET).status()).isEqualTo(200);
    }
}
