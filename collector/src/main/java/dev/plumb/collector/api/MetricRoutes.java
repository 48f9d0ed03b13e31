package dev.plumb.collector.api;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.TimeRange;
import dev.plumb.analytics.metrics.MetricSeries;
import dev.plumb.analytics.metrics.MetricSeriesQuery;
import dev.plumb.collector.DurationText;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metric calls: {@code GET /metrics} (what is stored) and {@code GET /metrics/{name}/series}
 * (one metric as a time series with its exemplars). Attribute filters are {@code attr.KEY=VALUE}.
 */
final class MetricRoutes {
    static final String ATTRIBUTE_PREFIX = "attr.";

    private final Store store;
    private final Blocking blocking;

    private MetricRoutes(Store store, Blocking blocking) {
        this.store = store;
        this.blocking = blocking;
    }

    static void mount(Router api, Store store, Blocking blocking) {
        MetricRoutes routes = new MetricRoutes(store, blocking);
        api.get("/metrics").handler(routes::list);
        api.get("/metrics/:name/series").handler(routes::series);
    }

    private void list(RoutingContext ctx) {
        QueryParams params = QueryParams.of(ctx);
        String service = params.text("service");
        TimeRange range = params.range();
        blocking.respond(ctx, () -> ApiRoutes.window(range, "metrics", store.metrics(service, range)));
    }

    private void series(RoutingContext ctx) {
        QueryParams params = QueryParams.of(ctx);
        String name = ctx.pathParam("name");
        String service = params.text("service");
        TimeRange range = params.range();
        Duration step = params.step(range, MetricSeriesQuery.MAX_STEPS);
        String agg = params.text("agg");
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : ctx.queryParams()) {
            if (p.getKey().startsWith(ATTRIBUTE_PREFIX)) {
                String key = p.getKey().substring(ATTRIBUTE_PREFIX.length());
                if (key.isBlank()) {
                    throw ApiException.badRequest(p.getKey(), "an attribute filter needs a key after 'attr.'",
                            "for example attr.outcome=error");
                }
                if (attributes.put(key, p.getValue()) != null) {
                    throw ApiException.badRequest(p.getKey(), "attribute '" + key + "' is filtered twice",
                            "give each attr.KEY once");
                }
            }
        }
        blocking.respond(ctx, () -> {
            MetricSeries series = store.metricSeries(name, service, range, step, agg, attributes);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", series.name());
            body.put("type", series.type());
            body.put("unit", series.unit());
            body.put("agg", series.agg());
            body.put("from", range.from());
            body.put("to", range.to());
            body.put("step", DurationText.format(step));
            body.put("service", service);
            body.put("attributes", attributes);
            body.put("series", series.seriesCount());
            body.put("points", series.points());
            body.put("exemplars", series.exemplars());
            return body;
        });
    }
}
