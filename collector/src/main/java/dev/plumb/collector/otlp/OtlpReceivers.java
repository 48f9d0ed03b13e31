package dev.plumb.collector.otlp;

import dev.plumb.analytics.Store;
import dev.plumb.collector.ops.CollectorMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;

/**
 * The OTLP receivers of one collector: HTTP and gRPC request handlers that share one decode and
 * store path. The caller binds them to servers.
 */
public final class OtlpReceivers {
    private final Vertx vertx;
    private final Ingest ingest;
    private final int maxRequestBytes;

    public OtlpReceivers(Vertx vertx, Store store, CollectorMetrics metrics, int maxRequestBytes) {
        this.vertx = vertx;
        this.ingest = new Ingest(vertx, store, metrics, Clock.systemUTC(), maxRequestBytes);
        this.maxRequestBytes = maxRequestBytes;
    }

    /** Handles {@code POST /v1/traces|metrics|logs}. */
    public Handler<HttpServerRequest> http() {
        return OtlpHttpReceiver.router(vertx, ingest, maxRequestBytes);
    }

    /** Handles the gRPC {@code Export} calls of the three OTLP services (HTTP/2, cleartext). */
    public Handler<HttpServerRequest> grpc() {
        return OtlpGrpcReceiver.server(vertx, ingest, maxRequestBytes);
    }
}
