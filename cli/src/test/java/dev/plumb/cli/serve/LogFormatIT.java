package dev.plumb.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code plumb.jar} logs for people by default and, with
 * {@code PLUMB_LOG_FORMAT=json}, one JSON object a line for log shippers.
 */
class LogFormatIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void logsOneJsonObjectALineWhenAskedTo(@TempDir Path dataDir) throws Exception {
        String line = firstLogLine("json", dataDir);

        JsonNode event = JSON.readTree(line);
        assertThat(event.path("level").asText()).isEqualTo("INFO");
        assertThat(event.path("loggerName").asText()).isEqualTo("dev.plumb.collector.Collector");
        assertThat(event.path("formattedMessage").asText()).startsWith("plumb collector started: OTLP/gRPC 127.0.0.1:");
        assertThat(event.path("timestamp").asLong()).isPositive();
    }

    @Test
    void logsTextForPeopleByDefault(@TempDir Path dataDir) throws Exception {
        String line = firstLogLine(null, dataDir);

        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  Collector - plumb collector started: .*");
    }

    /** Starts {@code plumb serve} on free loopback ports and returns its first line on stderr. */
    private static String firstLogLine(String format, Path dataDir) throws Exception {
        Path jar = Path.of(System.getProperty("plumb.home"), "cli", "target", "plumb.jar");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "serve",
                "--host", "127.0.0.1", "--http-port", "0", "--otlp-http-port", "0", "--otlp-grpc-port", "0",
                "--data-dir", dataDir.toString()));
        builder.environment().remove("PLUMB_LOG_FORMAT");
        if (format != null) {
            builder.environment().put("PLUMB_LOG_FORMAT", format);
        }
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process serve = builder.start();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(serve.getErrorStream(), StandardCharsets.UTF_8))) {
            String line = err.readLine();
            assertThat(line).as("plumb serve wrote nothing to stderr").isNotNull();
            return line;
        } finally {
            serve.destroy();
            if (!serve.waitFor(20, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
        }
    }
}
