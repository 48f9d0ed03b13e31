package dev.plumb.collector.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.plumb.analytics.Store;
import dev.plumb.analytics.StoreFullException;
import dev.plumb.collector.ops.CollectorMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The path every OTLP request takes, whatever its transport: decode off the event loop, hand
 * the rows to the store, and answer only once the store says they are durable.
 */
final class Ingest {
    /** How an OTLP request body is encoded. */
    enum Format { PROTOBUF, JSON }

    private final Vertx vertx;
    private final Store store;
    private final CollectorMetrics metrics;
    private final Clock clock;
    private final int maxRequestBytes;

    Ingest(Vertx vertx, Store store, CollectorMetrics metrics, Clock clock, int maxRequestBytes) {
        this.vertx = vertx;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.maxRequestBytes = maxRequestBytes;
    }

    CollectorMetrics metrics() {
        return metrics;
    }

    /**
     * Decodes {@code body} (already decompressed) and stores it. Succeeds with the OTLP response
     * to send; fails with {@link RefusedRequestException}, {@link StoreFullException}, or another
     * exception when the store cannot take the records.
     */
    Future<Message> export(Signal signal, String transport, Format format, boolean gzip, byte[] body) {
        Context context = vertx.getOrCreateContext();
        return vertx.executeBlocking(() -> decode(signal, format, gzip ? Gzip.inflate(body, maxRequestBytes) : body),
                        false)
                .compose(decoded -> store(signal, transport, decoded, context));
    }

    private Decoded decode(Signal signal, Format format, byte[] body) {
        Message request;
        if (format == Format.JSON) {
            request = OtlpJson.parse(signal, body);
        } else {
            try {
                request = signal.parse(body);
            } catch (InvalidProtocolBufferException e) {
                throw RefusedRequestException.malformed("body is not an OTLP " + signal.label()
                        + " request in protobuf: " + e.getMessage());
            }
        }
        Instant now = clock.instant();
        return signal.decode(request, now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }

    private Future<Message> store(Signal signal, String transport, Decoded decoded, Context context) {
        int records = decoded.batch().size();
        metrics.received(signal.label(), transport, records + decoded.rejected());
        metrics.refused(signal.label(), "invalid", decoded.rejected());
        Message response = signal.response(decoded.rejected(), decoded.rejectionMessage());
        if (records == 0) {
            return Future.succeededFuture(response);
        }
        long started = System.nanoTime();
        CompletableFuture<Void> durable;
        try {
            durable = store.submit(decoded.batch());
        } catch (RuntimeException e) {
            durable = CompletableFuture.failedFuture(e);
        }
        return Future.fromCompletionStage(durable, context)
                .<Message>map(v -> {
                    metrics.storeWrite(signal.label(), System.nanoTime() - started);
                    metrics.accepted(signal.label(), transport, records);
                    return response;
                })
                .recover(failure -> {
                    Throwable cause = unwrap(failure);
                    metrics.refused(signal.label(), cause instanceof StoreFullException ? "store_full" : "store_error",
                            records);
                    return Future.failedFuture(cause);
                });
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
