package dev.plumb.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plumb.cli.PlumbCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code plumb demo} as a user runs it (with free ports): it prints the URLs once data arrives,
 * the API shows demo services with requests and errors and error logs with trace ids, and an
 * interrupt stops every child JVM. Needs the agent and demo jars, so it runs after packaging.
 */
class DemoCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void demoShowsServicesWithErrorsAndStopsEveryChild(@TempDir Path dataDir) throws Exception {
        CommandLine cli = PlumbCommand.commandLine(Map.of());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread demo = new Thread(() -> exitCode.set(cli.execute("demo", "--host", "127.0.0.1", "--otlp-grpc-port", "0",
                "--otlp-http-port", "0", "--http-port", "0", "--data-dir", dataDir.toString(), "--rps", "10")));
        demo.start();

        await().atMost(Duration.ofSeconds(120)).until(() -> out.toString().contains("Plumb demo running") || !demo.isAlive());
        assertThat(demo.isAlive()).as("demo stopped early: %s", err).isTrue();
        Matcher api = Pattern.compile("API (http://127\\.0\\.0\\.1:\\d+)/api/v1/services").matcher(out.toString());
        assertThat(api.find()).as(out.toString()).isTrue();
        String base = api.group(1) + "/api/v1/";

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            List<String> withErrors = new ArrayList<>();
            for (JsonNode service : get(base + "services").path("services")) {
                if (service.path("requests").asLong() > 0 && service.path("errors").asLong() > 0) {
                    withErrors.add(service.path("name").asText());
                }
            }
            assertThat(withErrors).hasSizeGreaterThanOrEqualTo(2);
            assertThat(get(base + "logs?q=status:error&limit=20").path("logs"))
                    .anySatisfy(log -> assertThat(log.path("traceId").asText()).matches("[0-9a-f]{32}"));
        });

        demo.interrupt();
        demo.join(Duration.ofSeconds(30).toMillis());
        assertThat(demo.isAlive()).isFalse();
        assertThat(exitCode.get()).isZero();
        assertThat(ProcessHandle.current().descendants()
                .filter(child -> child.info().commandLine().orElse("").contains("plumb-demo.jar")))
                .as("demo JVMs left running").isEmpty();
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
