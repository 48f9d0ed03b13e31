package dev.plumb.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plumb.analytics.StoreOptions;
import dev.plumb.collector.ApiClient;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import io.vertx.grpc.common.GrpcStatus;
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

/**
 * While the store's queue is full, OTLP senders are told to retry (503 with Retry-After,
 * gRPC UNAVAILABLE) instead of the collector buffering without bound; the acknowledgement of
 * a request waits until its records are committed.
 */
class BackpressureTest {
    @TempDir
    Path data;

    @Test
    void fullQueueAnswers503WithRetryAfterAndAcknowledgesOnlyAfterCommit() throws Exception {
        // The writer holds a first batch for 3 s waiting for company: the queue is occupied meanwhile.
        StoreOptions slowFlush = StoreOptions.defaults().withQueue(1, 1000, Duration.ofSeconds(3));
        try (Collector collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data)
                .withStoreOptions(slowFlush))) {
            byte[] first = OtlpRequests.traces("orders", OtlpRequests.span("0000000000000000000000000000a001",
                    "000000000000a001", "first", 5)).toByteArray();
            long sent = System.nanoTime();
            CompletableFuture<HttpResponse<String>> pending = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.otlpHttpPort() + "/v1/traces"))
                            .header("Content-Type", "application/x-protobuf")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(first)).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(2)).until(() -> collector.store().stats().queueDepth() > 0);
            assertThat(pending).isNotDone();

            byte[] second = OtlpRequests.traces("orders", OtlpRequests.span("0000000000000000000000000000a002",
                    "000000000000a002", "second", 5)).toByteArray();
            ApiClient.Answer refused = new ApiClient(collector.otlpHttpPort())
                    .post("/v1/traces", "application/x-protobuf", null, second);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(OtlpBadInputTest.statusMessage(refused.body())).startsWith("the collector's write queue is full");

            RawGrpcCall.Outcome grpc = RawGrpcCall.export(collector.otlpGrpcPort(), OtlpBadInputTest.TRACES, second);
            assertThat(grpc.status()).isEqualTo(GrpcStatus.UNAVAILABLE.code);

            HttpResponse<String> acknowledged = pending.get(10, TimeUnit.SECONDS);
            assertThat(acknowledged.statusCode()).isEqualTo(200);
            assertThat(collector.store().stats().spansWritten()).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThan(Duration.ofMillis(500));
            assertThat(new ApiClient(collector.httpPort()).get("/metrics").text())
                    .contains("plumb_otlp_refused_records_total{reason=\"store_full\",signal=\"traces\"} 2.0");
        }
    }
}
