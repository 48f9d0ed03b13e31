package dev.plumb.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plumb.cli.CommandRun;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plumb deploy apply --server} against the real collector on loopback: a service that has
 * no usage yet costs what its definition declares, in {@code /api/v1/cost}, from the moment it
 * was applied.
 */
class DeployCostEndToEndTest {

    @TempDir
    Path dir;

    private Collector collector;

    @BeforeEach
    void start() {
        collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(dir.resolve("data")));
    }

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void anAppliedServiceWithoutUsageCostsItsDeclaredRequestsPerHour() throws Exception {
        Path services = dir.resolve("services.yaml");
        try (var in = getClass().getResourceAsStream("/contract-example.yaml")) {
            Files.write(services, in.readAllBytes());
        }
        String server = "http://127.0.0.1:" + collector.httpPort();
        Instant before = Instant.now();

        CommandRun run = CommandRun.of(Map.of("USER", "alice"), "deploy", "apply", services.toString(),
                "--state", dir.resolve("state").toString(), "--audit-log", dir.resolve("audit.jsonl").toString(),
                "--server", server);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("declared resources of 1 service posted to " + server);

        long from = before.minus(Duration.ofHours(2)).toEpochMilli();
        long to = Instant.now().plus(Duration.ofMinutes(1)).toEpochMilli();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server + "/api/v1/cost?groupBy=service&step=1h&from=" + from + "&to=" + to)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

        List<JsonNode> payment = new ArrayList<>();
        new ObjectMapper().readTree(answer.body()).get("rows").forEach(row -> {
            if (row.get("group").asText().equals("payment-service")) {
                payment.add(row);
            }
        });
        // The declaration the collector now holds, with the start the CLI gave it.
        JsonNode declarations = new ObjectMapper().readTree(HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server + "/api/v1/cost/declarations")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body());
        JsonNode declared = declarations.get("declarations").get(0);
        assertThat(declared.get("service").asText()).isEqualTo("payment-service");
        Instant effectiveFrom = Instant.parse(declared.get("effectiveFrom").asText());
        Instant hour = effectiveFrom.truncatedTo(ChronoUnit.HOURS);

        // The contract's example: 3 replicas of 500m CPU and 512Mi, and no usage known. Declared
        // replicas run from the apply on, like a pod's first sample, so the hour of the apply holds
        // 3 x (the rest of that hour) pod-hours, at OpenCost's default prices:
        // CPU 0.5 x 0.031611 and memory 0.5 GiB x 0.004237 per pod-hour.
        double podHours = 3 * Duration.between(effectiveFrom, hour.plus(Duration.ofHours(1))).toMillis() / 3.6e6;
        JsonNode first = payment.get(0);
        assertThat(Instant.parse(first.get("ts").asText())).isEqualTo(hour);
        assertThat(first.get("source").asText()).isEqualTo("declared");
        assertThat(first.get("podHours").asDouble()).isCloseTo(podHours, within(1e-9));
        assertThat(first.get("cpu").asDouble()).isCloseTo(podHours * 0.5 * 0.031611, within(1e-9));
        assertThat(first.get("memory").asDouble()).isCloseTo(podHours * 0.5 * 0.004237, within(1e-9));
        assertThat(first.get("storage").asDouble()).isZero();
        assertThat(first.get("total").asDouble()).isCloseTo(podHours * (0.5 * 0.031611 + 0.5 * 0.004237), within(1e-9));
        assertThat(payment).allSatisfy(row -> assertThat(row.get("source").asText()).isEqualTo("declared"));
    }
}
