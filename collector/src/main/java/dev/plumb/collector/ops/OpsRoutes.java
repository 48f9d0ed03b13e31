package dev.plumb.collector.ops;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.StoreStats;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/**
 * {@code /health} (the process answers), {@code /ready} (it takes telemetry: store open, queue
 * not full, not shutting down) and {@code /metrics} (Prometheus text).
 */
public final class OpsRoutes {
    private OpsRoutes() {
    }

    public static void mount(Router root, Store store, CollectorMetrics metrics, BooleanSupplier closing) {
        root.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "up")));
        root.get("/ready").handler(ctx -> ready(ctx, store, closing));
        root.get("/metrics").handler(ctx -> ctx.vertx()
                .executeBlocking(metrics::scrape, false)
                .onSuccess(body -> ctx.response().putHeader("Content-Type", metrics.contentType())
                        .end(Buffer.buffer(body)))
                .onFailure(ctx::fail));
    }

    private static void ready(RoutingContext ctx, Store store, BooleanSupplier closing) {
        if (closing.getAsBoolean()) {
            json(ctx, 503, new JsonObject().put("status", "shutting down"));
            return;
        }
        StoreStats stats = store.stats();
        JsonObject body = new JsonObject()
                .put("queueDepth", stats.queueDepth())
                .put("queueCapacity", stats.queueCapacity());
        if (stats.queueDepth() >= stats.queueCapacity()) {
            json(ctx, 503, body.put("status", "write queue full"));
        } else {
            json(ctx, 200, body.put("status", "ready"));
        }
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
