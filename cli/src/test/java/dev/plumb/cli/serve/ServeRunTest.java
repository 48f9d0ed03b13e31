package dev.plumb.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plumb.cli.PlumbCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeRunTest {

    @Test
    void servesTheApiAtThePrintedUrlUntilStopped(@TempDir Path dataDir) throws Exception {
        CommandLine cli = PlumbCommand.commandLine(Map.of());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread serve = new Thread(() -> exitCode.set(cli.execute("serve", "--host", "127.0.0.1",
                "--otlp-grpc-port", "0", "--otlp-http-port", "0", "--http-port", "0", "--data-dir", dataDir.toString())));
        serve.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> out.toString().contains("Press Ctrl-C to stop.") || !serve.isAlive());
        assertThat(serve.isAlive()).as("serve stopped early: %s", err).isTrue();
        assertThat(out.toString()).contains("dashboards  http://127.0.0.1:", "OTLP gRPC   http://127.0.0.1:",
                "OTLP HTTP   http://127.0.0.1:", dataDir.toAbsolutePath().toString());
        Matcher api = Pattern.compile("API\\s+(http://\\S+/api/v1/services)").matcher(out.toString());
        assertThat(api.find()).isTrue();
        HttpResponse<String> services = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(api.group(1))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(services.statusCode()).isEqualTo(200);

        serve.interrupt();
        serve.join(Duration.ofSeconds(30).toMillis());
        assertThat(serve.isAlive()).isFalse();
        assertThat(exitCode.get()).isZero();
    }
}
