package dev.plumb.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.analytics.StoreOptions;
import dev.plumb.collector.ApiClient;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the store's queue is full, OTLP senders are told to retry (503 with Retry-After,
 * gRPC UNAVAILABLE) instead of the collector buffering without bound. A request is
 * acknowledged once its records are in the forced ingest log, before DuckDB loads them; a
 * query made after the acknowledgement still sees them.
 */
class BackpressureTest {
    @TempDir
    Path data;

    @Test
    void fullQueueAnswers503WithRetryAfterAndAcknowledgedRecordsAreQueryable() throws Exception {
        // The loader holds a first batch for 3 s waiting for company: the queue is occupied meanwhile.
        StoreOptions slowFlush = StoreOptions.defaults().withQueue(1, 1000, Duration.ofSeconds(3));
        try (Collector collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data)
                .withStoreOptions(slowFlush))) {
            byte[] first = OtlpRequests.traces("orders", OtlpRequests.span("0000000000000000000000000000a001",
                    "000000000000a001", "first", 5)).toByteArray();
            ApiClient otlp = new ApiClient(collector.otlpHttpPort());
            long sent = System.nanoTime();
            assertThat(otlp.post("/v1/traces", "application/x-protobuf", null, first).status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofMillis(2500));
            assertThat(collector.store().stats().queueDepth()).isEqualTo(1);
            assertThat(collector.store().stats().spansWritten()).isZero();

            byte[] second = OtlpRequests.traces("orders", OtlpRequests.span("0000000000000000000000000000a002",
                    "000000000000a002", "second", 5)).toByteArray();
            ApiClient.Answer refused = otlp.post("/v1/traces", "application/x-protobuf", null, second);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(OtlpBadInputTest.statusMessage(refused.body())).startsWith("the collector's write queue is full");

            RawGrpcCall.Outcome grpc = RawGrpcCall.export(collector.otlpGrpcPort(), OtlpBadInputTest.TRACES, second);
            assertThat(grpc.status()).isEqualTo(GrpcStatus.UNAVAILABLE.code);

            // The query asks the loader to stop waiting: the acknowledged span is there before the 3 s are up.
            ApiClient api = new ApiClient(collector.httpPort());
            assertThat(api.json("/api/v1/traces/0000000000000000000000000000a001").get("spans").get(0)
                    .get("name").asText()).isEqualTo("first");
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofMillis(2900));
            assertThat(collector.store().stats().spansWritten()).isEqualTo(1);
            assertThat(collector.store().stats().queueDepth()).isZero();
            assertThat(api.get("/metrics").text())
                    .contains("plumb_otlp_refused_records_total{reason=\"store_full\",signal=\"traces\"} 2.0")
                    .contains("plumb_store_queue_depth 0.0")
                    .containsPattern("plumb_store_ingest_log_bytes [1-9]")
                    .containsPattern("plumb_store_ingest_log_last_fsync_seconds [0-9]");
        }
    }
}
