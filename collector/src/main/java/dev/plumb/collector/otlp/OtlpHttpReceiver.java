package dev.plumb.collector.otlp;

import com.google.protobuf.Message;
import dev.plumb.analytics.StoreFullException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP: {@code POST /v1/traces|metrics|logs} with protobuf or JSON bodies, optionally
 * gzip-compressed, answered in the request's encoding. Every refusal carries a
 * {@code google.rpc.Status} whose message says what to change.
 */
final class OtlpHttpReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpReceiver.class);
    private static final String TRANSPORT = "http";
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";
    private static final String FORMAT_KEY = "otlp.format";

    private final Ingest ingest;
    private final int maxRequestBytes;

    private OtlpHttpReceiver(Ingest ingest, int maxRequestBytes) {
        this.ingest = ingest;
        this.maxRequestBytes = maxRequestBytes;
    }

    static Router router(Vertx vertx, Ingest ingest, int maxRequestBytes) {
        OtlpHttpReceiver receiver = new OtlpHttpReceiver(ingest, maxRequestBytes);
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.addHeadersEndHandler(v -> ingest.metrics().httpRequest("otlp_http", ctx.response().getStatusCode()));
            ctx.next();
        });
        for (Signal signal : Signal.values()) {
            // Three routes, not one: Vert.x runs a body handler only ahead of user handlers on a route.
            router.route(signal.path()).handler(receiver::admit);
            router.route(signal.path()).handler(BodyHandler.create(false).setBodyLimit(maxRequestBytes));
            router.route(signal.path()).handler(ctx -> receiver.receive(ctx, signal));
        }
        router.route().handler(ctx -> receiver.refuse(ctx, 404, "not_found", "no OTLP endpoint at "
                + ctx.request().path() + "; POST to /v1/traces, /v1/metrics or /v1/logs"));
        router.route().failureHandler(receiver::failed);
        return router;
    }

    /** Checks method, media type, encoding and declared length before reading any of the body. */
    private void admit(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.POST) {
            ctx.response().putHeader("Allow", "POST");
            refuse(ctx, 405, "not_allowed", ctx.request().method() + " is not supported on "
                    + ctx.request().path() + "; OTLP exports are POST requests");
            return;
        }
        String type = mediaType(ctx.request().getHeader("Content-Type"));
        Ingest.Format format;
        if (type.equals(PROTOBUF) || type.equals("application/protobuf")) {
            format = Ingest.Format.PROTOBUF;
        } else if (type.equals(JSON)) {
            format = Ingest.Format.JSON;
        } else {
            refuse(ctx, 415, "unsupported_media_type", "Content-Type '" + type + "' is not supported; send "
                    + PROTOBUF + " or " + JSON);
            return;
        }
        ctx.put(FORMAT_KEY, format);
        String encoding = encoding(ctx);
        if (!encoding.equals("gzip") && !encoding.equals("identity")) {
            refuse(ctx, 415, "unsupported_media_type", "Content-Encoding '" + encoding
                    + "' is not supported; send gzip or an uncompressed body");
            return;
        }
        String length = ctx.request().getHeader("Content-Length");
        if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                && Long.parseLong(length) > maxRequestBytes) {
            refuse(ctx, 413, "too_large", tooLarge());
            return;
        }
        ctx.next();
    }

    private void receive(RoutingContext ctx, Signal signal) {
        Ingest.Format format = ctx.get(FORMAT_KEY);
        Buffer body = ctx.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        ingest.export(signal, TRANSPORT, format, encoding(ctx).equals("gzip"), bytes).onComplete(result -> {
            if (ctx.response().ended() || ctx.response().closed()) {
                return;
            }
            if (result.succeeded()) {
                send(ctx, 200, format, encode(result.result(), format));
            } else {
                refused(ctx, signal, format, Ingest.unwrap(result.cause()));
            }
        });
    }

    private void refused(RoutingContext ctx, Signal signal, Ingest.Format format, Throwable cause) {
        if (cause instanceof RefusedRequestException r) {
            ingest.metrics().refusedRequest(TRANSPORT, r.reason().label);
            send(ctx, r.reason().httpStatus, format, status(OtlpStatus.INVALID_ARGUMENT, r.getMessage(), format));
        } else if (cause instanceof StoreFullException full) {
            long seconds = Math.max(1, (full.retryAfter().toMillis() + 999) / 1000);
            ctx.response().putHeader("Retry-After", Long.toString(seconds));
            send(ctx, 503, format, status(OtlpStatus.UNAVAILABLE, "the collector's write queue is full: "
                    + full.getMessage() + "; retry after " + seconds + "s", format));
        } else {
            LOG.error("cannot store OTLP {} request", signal.label(), cause);
            ctx.response().putHeader("Retry-After", "5");
            send(ctx, 503, format, status(OtlpStatus.UNAVAILABLE, "the collector cannot store records right now: "
                    + cause.getMessage(), format));
        }
    }

    /** Failures raised by the router or the body handler: 413 beyond the limit, anything else 400/500. */
    private void failed(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        int code = ctx.statusCode();
        if (code == 413) {
            refuse(ctx, 413, "too_large", tooLarge());
        } else if (code >= 400 && code < 500) {
            refuse(ctx, code, "malformed", "the request could not be read (HTTP " + code + ")");
        } else {
            LOG.error("OTLP/HTTP request to {} failed", ctx.request().path(), ctx.failure());
            refuse(ctx, 500, "internal", "internal error; the collector's log has the details");
        }
    }

    private String tooLarge() {
        return "request body exceeds " + maxRequestBytes + " bytes; send smaller batches"
                + " (lower the exporter's batch size)";
    }

    private void refuse(RoutingContext ctx, int httpStatus, String reason, String message) {
        ingest.metrics().refusedRequest(TRANSPORT, reason);
        Ingest.Format format = ctx.get(FORMAT_KEY);
        if (format == null) {
            format = Ingest.Format.JSON;
        }
        send(ctx, httpStatus, format, status(OtlpStatus.INVALID_ARGUMENT, message, format));
    }

    private static byte[] status(int code, String message, Ingest.Format format) {
        return format == Ingest.Format.JSON ? OtlpStatus.json(code, message) : OtlpStatus.protobuf(code, message);
    }

    private static byte[] encode(Message message, Ingest.Format format) {
        return format == Ingest.Format.JSON
                ? OtlpJson.print(message).getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : message.toByteArray();
    }

    private static void send(RoutingContext ctx, int status, Ingest.Format format, byte[] body) {
        HttpServerResponse response = ctx.response();
        response.setStatusCode(status)
                .putHeader("Content-Type", format == Ingest.Format.JSON ? JSON : PROTOBUF)
                .end(Buffer.buffer(body));
    }

    private static String encoding(RoutingContext ctx) {
        String e = ctx.request().getHeader("Content-Encoding");
        return e == null || e.isBlank() ? "identity" : e.trim().toLowerCase(Locale.ROOT);
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
