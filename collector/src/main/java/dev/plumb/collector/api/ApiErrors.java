package dev.plumb.collector.api;

import dev.plumb.analytics.logs.LogQueryException;
import dev.plumb.analytics.metrics.MetricQueryException;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's one failure handler: a refusal becomes {@code {"error","field","hint"}} with its 4xx
 * status; anything else is a 500 with an id that finds the stack trace in the server's log.
 */
final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    static void handle(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        Throwable failure = ctx.failure();
        if (failure instanceof ApiException e) {
            ApiJson.send(ctx, e.status(), body(e.getMessage(), e.field(), e.hint()));
        } else if (failure instanceof MetricQueryException e) {
            ApiJson.send(ctx, e.unknown() ? 404 : 400, body(e.getMessage(), e.field(), e.hint()));
        } else if (failure instanceof LogQueryException e) {
            Map<String, Object> body = body(withColumn(e), "q", e.hint());
            body.put("position", e.position());
            ApiJson.send(ctx, 400, body);
        } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            ApiJson.send(ctx, ctx.statusCode(), statusBody(ctx));
        } else {
            String id = UUID.randomUUID().toString();
            LOG.error("internal error {} answering {} {}", id, ctx.request().method(), ctx.request().uri(), failure);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "internal error");
            body.put("id", id);
            ApiJson.send(ctx, 500, body);
        }
    }

    /** 404 and 405 from the router itself, and 413 from the body handler. */
    private static Map<String, Object> statusBody(RoutingContext ctx) {
        String path = ctx.request().path();
        return switch (ctx.statusCode()) {
            case 404 -> body("no such API call: " + ctx.request().method() + " " + path, null,
                    "the calls are listed in /api/v1/openapi.json");
            case 405 -> body(ctx.request().method() + " is not allowed on " + path, null,
                    "the methods of each call are listed in /api/v1/openapi.json");
            case 413 -> body("request body is too large", null, "send a smaller body");
            default -> body("request refused (HTTP " + ctx.statusCode() + ")", null, null);
        };
    }

    private static String withColumn(LogQueryException e) {
        String m = e.getMessage();
        return m.contains("column") ? m : m + " (at column " + e.position() + ")";
    }

    static Map<String, Object> body(String error, String field, String hint) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("field", field);
        body.put("hint", hint);
        return body;
    }
}
