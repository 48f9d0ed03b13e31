package dev.plumb.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API and OTLP/HTTP ports answer HTTP/1.1 and ignore the {@code Upgrade: h2c} offer that
 * the JDK's HttpClient makes on every first request: accepting it left about one request in
 * twelve hanging past the client's own timeout.
 */
class Http1ServersTest {

    @Test
    void firstRequestsOfFreshJdkClientsAnswerPromptlyOverHttp11(@TempDir Path data) throws Exception {
        try (Collector collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data))) {
            URI api = URI.create("http://127.0.0.1:" + collector.httpPort() + "/api/v1/openapi.json");
            URI otlp = URI.create("http://127.0.0.1:" + collector.otlpHttpPort() + "/v1/traces");
            for (int i = 0; i < 40; i++) {
                // a new client each time: only a client's first request to a host offers h2c
                HttpResponse<String> apiAnswer = firstRequest(HttpRequest.newBuilder(api).GET());
                assertThat(apiAnswer.statusCode()).isEqualTo(200);
                assertThat(apiAnswer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);

                HttpResponse<String> otlpAnswer = firstRequest(HttpRequest.newBuilder(otlp)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"resourceSpans\":[]}")));
                assertThat(otlpAnswer.statusCode()).isEqualTo(200);
                assertThat(otlpAnswer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            }
        }
    }

    /** Sends with a fresh default (HTTP/2-preferring) client; fails if no answer comes in 10 s. */
    private static HttpResponse<String> firstRequest(HttpRequest.Builder request) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        return client.sendAsync(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
                .get(10, TimeUnit.SECONDS);
    }
}
