package dev.plumb.demo.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's end-to-end path: the demo services in forked JVMs under the real agent jar, and the
 * cluster simulator with the OpenTelemetry SDK's own exporter, sending OTLP to a collector on
 * loopback, found again through the HTTP API.
 */
class DemoWorkloadIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WITHIN = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Collector collector;
    private DemoWorkload workload;
    private String api;

    @BeforeEach
    void startCollectorAndDemo(@TempDir Path dir) throws IOException {
        Path agentJar = Path.of(System.getProperty("plumb.agent.jar", "../agent/javaagent/target/plumb-agent.jar"));
        Path demoJar = Path.of(System.getProperty("plumb.demo.jar", "target/plumb-demo.jar"));
        collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(dir.resolve("data")));
        api = "http://127.0.0.1:" + collector.httpPort() + "/api/v1/";
        workload = DemoWorkload.start(new DemoWorkload.Settings(agentJar, demoJar,
                URI.create("http://127.0.0.1:" + collector.otlpHttpPort()), dir.resolve("demo-logs"), 10));
    }

    @AfterEach
    void stopDemoAndCollector() throws IOException {
        try {
            if (workload != null) {
                workload.close();
                printChildLogsTail();
            }
        } finally {
            if (collector != null) {
                collector.close();
            }
        }
    }

    @Test
    void demoServicesReportRequestsErrorsCorrelatedLogsAndCrossServiceTraces() {
        await("two demo services with requests and errors").atMost(WITHIN).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(workload.firstExited()).isEmpty();
            List<String> failing = new ArrayList<>();
            for (JsonNode service : get("services").path("services")) {
                if (DemoWorkload.SERVICES.contains(service.path("name").asText())
                        && service.path("requests").asLong() > 0 && service.path("errors").asLong() > 0) {
                    failing.add(service.path("name").asText());
                }
            }
            assertThat(failing).hasSizeGreaterThanOrEqualTo(2);
        });

        await("error logs with trace ids").atMost(WITHIN).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            JsonNode records = get("logs?q=" + URLEncoder.encode("status:error", StandardCharsets.UTF_8) + "&limit=50").path("logs");
            assertThat(records).isNotEmpty();
            assertThat(records).allSatisfy(record -> assertThat(record.path("severity").asText()).isIn("ERROR", "FATAL"));
            assertThat(records).anySatisfy(record -> assertThat(record.path("traceId").asText()).matches("[0-9a-f]{32}"));
        });

        await("a trace that crosses services").atMost(WITHIN).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            int widest = 0;
            for (JsonNode summary : get("traces?service=frontend&limit=20").path("traces")) {
                Set<String> services = new HashSet<>();
                collectServices(get("traces/" + summary.path("traceId").asText()).path("spans"), services);
                widest = Math.max(widest, services.size());
            }
            assertThat(widest).as("services in the widest frontend trace").isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void clusterSimulatorsUsageMakesCostsForEveryDemoService() {
        await("cost rows from the simulated pods").atMost(WITHIN).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Set<String> costed = new HashSet<>();
            for (JsonNode row : get("cost?groupBy=service&step=1h").path("rows")) {
                if (row.path("cpu").asDouble() > 0 && row.path("memory").asDouble() > 0) {
                    costed.add(row.path("group").asText());
                }
            }
            assertThat(costed).containsAll(DemoWorkload.SERVICES);
        });
    }

    private static void collectServices(JsonNode spans, Set<String> services) {
        for (JsonNode span : spans) {
            services.add(span.path("service").asText());
            collectServices(span.path("children"), services);
        }
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private void printChildLogsTail() throws IOException {
        for (String process : List.of("payment", "inventory", "checkout", "frontend", "cluster-simulator")) {
            Path log = workload.logFile(process);
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log);
                System.out.println("---- last lines of " + log);
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(System.out::println);
            }
        }
    }
}
