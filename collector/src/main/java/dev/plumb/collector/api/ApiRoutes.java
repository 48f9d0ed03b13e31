package dev.plumb.collector.api;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.TimeRange;
import dev.plumb.analytics.logs.LogSearch;
import dev.plumb.analytics.traces.TraceQuery;
import dev.plumb.analytics.traces.TraceSearch;
import dev.plumb.collector.DurationText;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The HTTP API under {@code /api/v1}: services, their operations and RED series, log search,
 * trace search, a trace as a tree, the service map, metrics (see {@link MetricRoutes}), and the
 * OpenAPI document that describes them all.
 * Handlers only read parameters; every store call runs through {@link Blocking}.
 */
public final class ApiRoutes {
    // The store's own caps: asking for more is refused rather than silently cut short.
    static final int MAX_LOGS = LogSearch.MAX_LIMIT;
    static final int MAX_TRACES = TraceQuery.MAX_LIMIT;
    static final int MAX_SERIES_POINTS = 10_000;
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");

    private final Store store;
    private final Blocking blocking;

    private ApiRoutes(Store store, Blocking blocking) {
        this.store = store;
        this.blocking = blocking;
    }

    /**
     * Mounts the API at {@code /api/v1} of {@code root} and returns the API's own router, whose
     * paths are relative to {@code /api/v1}.
     */
    public static Router mount(Vertx vertx, Router root, Store store, Blocking blocking) {
        ApiRoutes routes = new ApiRoutes(store, blocking);
        Router api = Router.router(vertx);
        api.route().handler(BodyHandler.create(false).setBodyLimit(1024 * 1024));
        api.get("/openapi.json").handler(ApiRoutes::openApi);
        api.get("/services").handler(routes::services);
        api.get("/services/:service/red").handler(routes::red);
        api.get("/services/:service/operations").handler(routes::operations);
        MetricRoutes.mount(api, store, blocking);
        api.get("/logs").handler(routes::logs);
        api.get("/traces").handler(routes::traces);
        api.get("/traces/:traceId").handler(routes::trace);
        api.get("/service-map").handler(routes::serviceMap);
        // Further calls (the cost engine's CostRoutes.mount(api, engine, blocking), alerts) are
        // added to the returned router by Collector, ahead of the catch-all 404 below (it is last()).
        api.route().last().handler(ctx -> ctx.fail(404));
        api.route().failureHandler(ApiErrors::handle);
        root.route("/api/v1/*").subRouter(api);
        return api;
    }

    private void services(RoutingContext ctx) {
        TimeRange range = QueryParams.of(ctx).range();
        blocking.respond(ctx, () -> window(range, "services", store.services(range)));
    }

    private void red(RoutingContext ctx) {
        QueryParams params = QueryParams.of(ctx);
        String service = ctx.pathParam("service");
        TimeRange range = params.range();
        Duration step = params.step(range, MAX_SERIES_POINTS);
        String operation = params.text("operation");
        blocking.respond(ctx, () -> {
            Map<String, Object> body = window(range, "points", store.red(service, operation, range, step));
            body.put("service", service);
            if (operation != null) {
                body.put("operation", operation);
            }
            body.put("step", DurationText.format(step));
            return body;
        });
    }

    private void operations(RoutingContext ctx) {
        String service = ctx.pathParam("service");
        TimeRange range = QueryParams.of(ctx).range();
        blocking.respond(ctx, () -> {
            Map<String, Object> body = window(range, "operations", store.operations(service, range));
            body.put("service", service);
            return body;
        });
    }

    private void logs(RoutingContext ctx) {
        QueryParams params = QueryParams.of(ctx);
        String q = params.text("q");
        TimeRange range = params.range();
        int limit = params.integer("limit", 100, 1, MAX_LOGS);
        blocking.respond(ctx, () -> window(range, "logs", store.logs(q == null ? "" : q, range, limit)));
    }

    private void traces(RoutingContext ctx) {
        QueryParams params = QueryParams.of(ctx);
        TraceSearch search = new TraceSearch(params.range(), params.text("service"), params.text("q"),
                params.number("minDurationMs", 0, 0), params.integer("limit", TraceQuery.DEFAULT_LIMIT, 1, MAX_TRACES));
        blocking.respond(ctx, () -> window(search.range(), "traces", store.traces(search)));
    }

    private void trace(RoutingContext ctx) {
        String traceId = ctx.pathParam("traceId").toLowerCase(Locale.ROOT);
        if (!TRACE_ID.matcher(traceId).matches()) {
            throw ApiException.badRequest("traceId", "'" + ctx.pathParam("traceId") + "' is not a trace id",
                    "a trace id is 32 hex digits, as in the traceId of /api/v1/traces or a log record");
        }
        blocking.respond(ctx, () -> store.trace(traceId).orElseThrow(() -> ApiException.notFound("traceId",
                "no trace " + traceId + " is stored", "the trace may not have arrived yet, or is past retention")));
    }

    private void serviceMap(RoutingContext ctx) {
        TimeRange range = QueryParams.of(ctx).range();
        blocking.respond(ctx, () -> window(range, "edges", store.serviceMap(range)));
    }

    /** An answer that says which window it covers, with its list under {@code key}. */
    static Map<String, Object> window(TimeRange range, String key, Object items) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", range.from());
        body.put("to", range.to());
        body.put(key, items);
        return body;
    }

    private static void openApi(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json").end(OPENAPI);
    }

    private static final Buffer OPENAPI = loadOpenApi();

    private static Buffer loadOpenApi() {
        try (InputStream in = ApiRoutes.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the collector's classpath");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read openapi.json", e);
        }
    }
}
