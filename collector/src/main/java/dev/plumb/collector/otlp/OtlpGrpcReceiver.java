package dev.plumb.collector.otlp;

import com.google.protobuf.Message;
import dev.plumb.analytics.StoreFullException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.common.WireFormat;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/gRPC: the {@code Export} method of the trace, metrics and logs services, without generated
 * stubs. Messages arrive as raw bytes (Vert.x has already undone gzip) so that a malformed one
 * becomes INVALID_ARGUMENT with a reason, through the same decoder as OTLP/HTTP.
 */
final class OtlpGrpcReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpGrpcReceiver.class);
    private static final String TRANSPORT = "grpc";

    private OtlpGrpcReceiver() {
    }

    static GrpcServer server(Vertx vertx, Ingest ingest, int maxRequestBytes) {
        GrpcServer server = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(maxRequestBytes));
        for (Signal signal : Signal.values()) {
            ServiceMethod<Buffer, Message> export = ServiceMethod.server(
                    ServiceName.create(signal.grpcPackage(), signal.grpcService()), "Export",
                    GrpcMessageEncoder.encoder(), GrpcMessageDecoder.IDENTITY);
            server.callHandler(export, request -> handle(ingest, signal, request));
        }
        return server;
    }

    private static void handle(Ingest ingest, Signal signal, GrpcServerRequest<Buffer, Message> request) {
        Ingest.Format format = request.format() == WireFormat.JSON ? Ingest.Format.JSON : Ingest.Format.PROTOBUF;
        request.last()
                .compose(body -> ingest.export(signal, TRANSPORT, format, false, body.getBytes()))
                .onComplete(result -> {
                    if (result.succeeded()) {
                        ingest.metrics().httpRequest("otlp_grpc", 200);
                        request.response().end(result.result());
                        return;
                    }
                    Throwable cause = Ingest.unwrap(result.cause());
                    GrpcStatus status;
                    String message;
                    if (cause instanceof RefusedRequestException r) {
                        ingest.metrics().refusedRequest(TRANSPORT, r.reason().label);
                        status = r.reason() == RefusedRequestException.Reason.TOO_LARGE
                                ? GrpcStatus.RESOURCE_EXHAUSTED : GrpcStatus.INVALID_ARGUMENT;
                        message = cause.getMessage();
                    } else if (cause instanceof StoreFullException) {
                        // UNAVAILABLE is the status OTLP clients retry with backoff.
                        status = GrpcStatus.UNAVAILABLE;
                        message = "the collector's write queue is full: " + cause.getMessage();
                    } else {
                        LOG.error("cannot store OTLP {} request received over gRPC", signal.label(), cause);
                        status = GrpcStatus.UNAVAILABLE;
                        message = "the collector cannot store records right now: " + cause.getMessage();
                    }
                    ingest.metrics().httpRequest("otlp_grpc", status == GrpcStatus.INVALID_ARGUMENT ? 400 : 503);
                    request.response().status(status).statusMessage(message).end();
                });
    }
}
