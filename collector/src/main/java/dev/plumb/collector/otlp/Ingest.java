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
 * The path every OTLP request takes, whatever its transport: decode and hand the rows to the
 * store off the event loop, and answer only once the store says they are durable (in its
 * forced ingest log).
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
        // Decoding and handing to the store (which encodes the batch for its log) both stay off the event loop.
        return vertx.executeBlocking(() -> submit(signal, transport,
                        decode(signal, format, gzip ? Gzip.inflate(body, maxRequestBytes) : body)), false)
                .compose(submitted -> answer(signal, transport, submitted, context));
    }

    /** A decoded request and the store's promise for its records (null when none were valid). */
    private record Submitted(Decoded decoded, CompletableFuture<Void> durable, long started) {
    }

    private Decoded decode(Signal signal, Format format, byte[] body) {
        Instant now = clock.instant();
        long receivedNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        if (format == Format.JSON) {
            return signal.decode(OtlpJson.parse(signal, body), receivedNanos);
        }
        try {
            return signal.decodeProtobuf(body, receivedNanos);
        } catch (InvalidProtocolBufferException e) {
            throw RefusedRequestException.malformed("body is not an OTLP " + signal.label()
                    + " request in protobuf: " + e.getMessage());
        }
    }

    private Submitted submit(Signal signal, String transport, Decoded decoded) {
        int records = decoded.batch().size();
        metrics.received(signal.label(), transport, records + decoded.rejected());
        metrics.refused(signal.label(), "invalid", decoded.rejected());
        if (records == 0) {
            return new Submitted(decoded, null, 0);
        }
        long started = System.nanoTime();
        CompletableFuture<Void> durable;
        try {
            durable = store.submit(decoded.batch());
        } catch (RuntimeException e) {
            durable = CompletableFuture.failedFuture(e);
        }
        return new Submitted(decoded, durable, started);
    }

    private Future<Message> answer(Signal signal, String transport, Submitted submitted, Context context) {
        Decoded decoded = submitted.decoded();
        Message response = signal.response(decoded.rejected(), decoded.rejectionMessage());
        if (submitted.durable() == null) {
            return Future.succeededFuture(response);
        }
        int records = decoded.batch().size();
        return Future.fromCompletionStage(submitted.durable(), context)
                .<Message>map(v -> {
                    metrics.storeWrite(signal.label(), System.nanoTime() - submitted.started());
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
