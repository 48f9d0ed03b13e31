package dev.plumb.collector.cost;

import dev.plumb.analytics.TimeRange;
import dev.plumb.analytics.cost.CostEngine;
import dev.plumb.analytics.cost.CostGroupBy;
import dev.plumb.analytics.cost.CostStep;
import dev.plumb.analytics.cost.IdleMode;
import dev.plumb.analytics.cost.ResourceDeclaration;
import dev.plumb.collector.api.ApiException;
import dev.plumb.collector.api.Blocking;
import dev.plumb.collector.api.QueryParams;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The cost calls of the API, relative to {@code /api/v1}: {@code GET /cost},
 * {@code /cost/drivers}, {@code /cost/benchmark}, {@code /cost/trend} (daily series per group and
 * the week-over-week change; default window 28 days), {@code /cost/efficiency} (usage ÷ request
 * and rightsizing, {@code targetUtilisation} default 0.7; default window 7 days) and
 * {@code /cost/anomalies} ({@code minPercent} default 20, {@code minAmount} default 1; default
 * window 30 days) and {@code /cost/cluster} (the cluster's cost from node capacity and its parts:
 * services, unallocated, idle, over-commit, and whether they balance; default window 1 day; 404
 * naming {@code from} when no node capacity is known in the window). {@code /cost} takes
 * {@code includeIdle=true} (an {@code __idle__} row per bucket with node capacity) and
 * {@code shareIdle=true} (idle spread over the groups by their cost of each resource, see
 * {@link IdleMode}); its window widens to whole buckets of its step ({@link CostStep#widen}) and
 * each row says its {@code source} ({@code usage}, {@code declared}, {@code capacity} for idle).
 * {@code POST /cost/declarations} stores the deploy adapter's declared resources
 * ({@link DeclarationRequest}; 201 with the current declarations), {@code GET /cost/declarations}
 * lists the latest declaration of each service. The engine runs on the API's worker pool;
 * a bad parameter is a 400 and an unknown service a 404, both naming the parameter.
 */
public final class CostRoutes {
    /** Most buckets one series may have, so that {@code step=1h} over a year is refused, not computed. */
    static final long MAX_BUCKETS = 20_000;
    /** Largest declarations body: thousands of services, far from anything a deploy sends. */
    static final long MAX_DECLARATION_BYTES = 1 << 20;

    private final CostEngine engine;
    private final Blocking blocking;

    private CostRoutes(CostEngine engine, Blocking blocking) {
        this.engine = engine;
        this.blocking = blocking;
    }

    /** Adds the cost calls to {@code api}, the router mounted at {@code /api/v1}. */
    public static void mount(Router api, CostEngine engine, Blocking blocking) {
        CostRoutes routes = new CostRoutes(engine, blocking);
        api.get("/cost").handler(routes::costs);
        api.get("/cost/drivers").handler(routes::drivers);
        api.get("/cost/benchmark").handler(routes::benchmark);
        api.get("/cost/trend").handler(routes::trend);
        api.get("/cost/efficiency").handler(routes::efficiency);
        api.get("/cost/anomalies").handler(routes::anomalies);
        api.get("/cost/cluster").handler(routes::cluster);
        api.get("/cost/declarations").handler(routes::declarations);
        api.post("/cost/declarations").handler(BodyHandler.create(false).setBodyLimit(MAX_DECLARATION_BYTES))
                .handler(routes::declare);
    }

    private void costs(RoutingContext ctx) {
        QueryParams params = QueryParams.of(ctx);
        TimeRange range = params.range();
        CostGroupBy groupBy = groupBy(params.text("groupBy"));
        CostStep step = step(params.text("step"), range);
        boolean share = flag(params, "shareIdle");
        IdleMode idle = share ? IdleMode.SHARED : flag(params, "includeIdle") ? IdleMode.OWN_LINE : IdleMode.HIDDEN;
        blocking.respond(ctx, () -> {
            Map<String, Object> body = window(step.widen(range));
            body.put("groupBy", groupBy.name().toLowerCase(java.util.Locale.ROOT));
            body.put("step", step.count() + step.unit());
            body.put("currency", engine.pricing().currency());
            body.put("rows", engine.costs(groupBy, range, step, idle));
            return body;
        });
    }

    private void declare(RoutingContext ctx) {
        List<ResourceDeclaration> declarations = DeclarationRequest.parse(ctx.body().buffer() == null ? null
                : ctx.body().buffer().getBytes(), Instant.now());
        blocking.respond(ctx, 201, () -> {
            engine.declare(declarations);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("accepted", declarations.size());
            body.put("declarations", engine.declarations());
            return body;
        });
    }

    private void declarations(RoutingContext ctx) {
        blocking.respond(ctx, () -> Map.of("declarations", engine.declarations()));
    }

    private void cluster(RoutingContext ctx) {
        TimeRange range = QueryParams.of(ctx).range("from", "to", Duration.ofDays(1));
        blocking.respond(ctx, () -> {
            try {
                return engine.cluster(range);
            } catch (NoSuchElementException e) {
                throw ApiException.notFound("from", e.getMessage(), "send node capacity (OTLP gauges"
                        + " k8s.node.cpu.allocatable and k8s.node.memory.allocatable with k8s.node.name) or import a"
                        + " node file with `plumb cost import`, or pick a window with node data");
            }
        });
    }

    /** A true/false parameter, false when absent. */
    private static boolean flag(QueryParams params, String name) {
        String v = params.text(name);
        if (v == null || v.equalsIgnoreCase("false")) {
            return false;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        throw ApiException.badRequest(name, name + " '" + v + "' is neither true nor false", name + "=true");
    }

    private void drivers(RoutingContext ctx) {
        QueryParams params = QueryParams.of(ctx);
        String service = params.text("service");
        TimeRange current = params.range();
        Duration length = Duration.between(current.from(), current.to());
        TimeRange baseline = params.range("baselineFrom", "baselineTo", length);
        if (params.text("baselineTo") == null && params.text("baselineFrom") == null) {
            baseline = new TimeRange(current.from().minus(length), current.from());
        } else if (params.text("baselineTo") == null) {
            baseline = new TimeRange(baseline.from(), baseline.from().plus(length));
        }
        TimeRange base = baseline;
        blocking.respond(ctx, () -> {
            try {
                Map<String, Object> body = window(current);
                body.put("baselineFrom", base.from());
                body.put("baselineTo", base.to());
                body.put("service", service);
                var d = engine.drivers(service, current, base);
                body.put("currency", d.currency());
                body.put("baselineTotal", d.baselineTotal());
                body.put("currentTotal", d.currentTotal());
                body.put("delta", d.delta());
                body.put("drivers", d.drivers());
                return body;
            } catch (NoSuchElementException e) {
                throw ApiException.notFound("service", e.getMessage(),
                        "pick a service from /api/v1/cost?groupBy=service over the same window");
            }
        });
    }

    private void benchmark(RoutingContext ctx) {
        QueryParams params = QueryParams.of(ctx);
        String service = params.required("service", "name the service to benchmark, for example service=checkout");
        TimeRange range = params.range();
        blocking.respond(ctx, () -> {
            try {
                Map<String, Object> body = window(range);
                body.put("currency", engine.pricing().currency());
                body.put("benchmark", engine.benchmark(service, range));
                return flatten(body);
            } catch (NoSuchElementException e) {
                throw ApiException.notFound("service", e.getMessage(),
                        "pick a service from /api/v1/cost?groupBy=service over the same window, or widen from/to");
            }
        });
    }

    private void trend(RoutingContext ctx) {
        QueryParams params = QueryParams.of(ctx);
        TimeRange range = params.range("from", "to", Duration.ofDays(28));
        CostGroupBy groupBy = groupBy(params.text("groupBy"));
        String service = params.text("service");
        blocking.respond(ctx, () -> {
            Map<String, Object> body = window(range);
            body.put("groupBy", groupBy.name().toLowerCase(java.util.Locale.ROOT));
            body.put("service", service);
            body.put("currency", engine.pricing().currency());
            body.put("groups", engine.trend(groupBy, service, range));
            return body;
        });
    }

    private void efficiency(RoutingContext ctx) {
        QueryParams params = QueryParams.of(ctx);
        TimeRange range = params.range("from", "to", Duration.ofDays(7));
        String service = params.text("service");
        double target = params.number("targetUtilisation", 0.7, 0.05);
        if (target > 1) {
            throw ApiException.badRequest("targetUtilisation", "targetUtilisation " + target + " is above 1",
                    "a share of the request, for example targetUtilisation=0.7");
        }
        blocking.respond(ctx, () -> {
            Map<String, Object> body = window(range);
            body.put("currency", engine.pricing().currency());
            body.put("targetUtilisation", target);
            var services = engine.efficiency(service, range, target);
            if (service != null && services.isEmpty()) {
                throw ApiException.notFound("service", "service '" + service + "' has no usage in this window",
                        "pick a service from /api/v1/cost?groupBy=service over the same window, or widen from/to");
            }
            body.put("services", services);
            return body;
        });
    }

    private void anomalies(RoutingContext ctx) {
        QueryParams params = QueryParams.of(ctx);
        TimeRange range = params.range("from", "to", Duration.ofDays(30));
        String service = params.text("service");
        double percent = params.number("minPercent", 20, 0);
        double amount = params.number("minAmount", 1, 0);
        blocking.respond(ctx, () -> {
            Map<String, Object> body = window(range);
            body.put("currency", engine.pricing().currency());
            body.put("minPercent", percent);
            body.put("minAmount", amount);
            body.put("anomalies", engine.anomalies(service, range, percent / 100, amount));
            return body;
        });
    }

    /** The benchmark's fields at the top level of the answer, beside the window. */
    private static Map<String, Object> flatten(Map<String, Object> body) {
        var b = (dev.plumb.analytics.cost.CostBenchmark) body.remove("benchmark");
        body.put("service", b.service());
        body.put("team", b.team());
        body.put("peerGroup", b.peerGroup());
        body.put("costPerHour", b.costPerHour());
        body.put("costPer1kRequests", b.costPer1kRequests());
        body.put("requests", b.requests());
        body.put("rank", b.rank());
        body.put("of", b.of());
        body.put("medianCostPerHour", b.medianCostPerHour());
        body.put("medianCostPer1kRequests", b.medianCostPer1kRequests());
        body.put("peers", b.peers());
        return body;
    }

    private static Map<String, Object> window(TimeRange range) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", range.from());
        body.put("to", range.to());
        return body;
    }

    private static CostGroupBy groupBy(String text) {
        if (text == null) {
            return CostGroupBy.SERVICE;
        }
        try {
            return CostGroupBy.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("groupBy", e.getMessage(), "groupBy=service, groupBy=team or groupBy=namespace");
        }
    }

    /** The step asked for; without one, hours for windows up to two days and days beyond. */
    private static CostStep step(String text, TimeRange range) {
        Duration length = Duration.between(range.from(), range.to());
        CostStep step;
        if (text == null) {
            step = length.compareTo(Duration.ofDays(2)) <= 0 ? CostStep.HOUR : CostStep.DAY;
        } else {
            try {
                step = CostStep.parse(text);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("step", e.getMessage(), "for example step=1d");
            }
        }
        long stepHours = switch (step.unit()) {
            case "hour" -> 1;
            case "day" -> 24;
            case "week" -> 168;
            default -> 672;
        } * step.count();
        if (length.toHours() / stepHours > MAX_BUCKETS) {
            throw ApiException.badRequest("step", "step " + text + " over " + length.truncatedTo(ChronoUnit.HOURS).toHours()
                    + " hours makes more than " + MAX_BUCKETS + " buckets", "use a coarser step such as 1d or 1w");
        }
        return step;
    }
}
