package dev.plumb.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plumb.analytics.StoreOptions;
import dev.plumb.collector.ApiClient;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GracefulShutdownTest {
    @TempDir
    Path data;

    @Test
    void closeAnswersRequestsInFlightAndFlushesTheirRecords() throws Exception {
        StoreOptions slowFlush = StoreOptions.defaults().withQueue(1000, 1000, Duration.ofSeconds(2));
        PlumbConfig config = PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data).withStoreOptions(slowFlush);
        Collector collector = Collector.start(config);
        byte[] body = OtlpRequests.traces("shutdown", OtlpRequests.span("000000000000000000000000000000d1",
                "00000000000000d1", "in flight", 4)).toByteArray();
        // HTTP/1.1 as OTLP exporters send it; JDK 17's HTTP/2 client drops streams on GOAWAY.
        CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).build().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.otlpHttpPort() + "/v1/traces"))
                        .header("Content-Type", "application/x-protobuf")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(2)).until(() -> collector.store().stats().queueDepth() > 0);

        collector.close();

        assertThat(inFlight.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        try (Collector reopened = Collector.start(config)) {
            ApiClient api = new ApiClient(reopened.httpPort());
            assertThat(api.json("/api/v1/traces/000000000000000000000000000000d1").get("spans").get(0)
                    .get("name").asText()).isEqualTo("in flight");
        }
    }
}
