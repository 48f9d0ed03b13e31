package dev.plumb.collector.alerts;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.alerts.AlertStore;
import dev.plumb.analytics.alerts.AlertSubscription;
import dev.plumb.collector.api.ApiException;
import dev.plumb.collector.api.ApiJson;
import dev.plumb.collector.api.Blocking;
import dev.plumb.collector.api.QueryParams;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alert calls of the API, relative to {@code /api/v1}: {@code POST /alerts} (201 with the
 * subscription and its id, 400 for a malformed body, 422 when {@link Guardrails} refuse it),
 * {@code GET /alerts}, {@code GET|DELETE /alerts/{id}}, {@code GET /alerts/{id}/events}
 * (newest first, {@code limit} default 100) and {@code GET /alerts/rules.yaml}.
 */
public final class AlertRoutes {
    private static final int MAX_EVENTS = 1000;

    private final AlertStore alerts;
    private final Guardrails guardrails;
    private final Blocking blocking;

    private AlertRoutes(AlertStore alerts, Guardrails guardrails, Blocking blocking) {
        this.alerts = alerts;
        this.guardrails = guardrails;
        this.blocking = blocking;
    }

    /** Adds the alert calls to {@code api}, the router mounted at {@code /api/v1}. */
    public static void mount(Router api, Store store, AlertStore alerts, AlertSettings settings, Blocking blocking) {
        AlertRoutes routes = new AlertRoutes(alerts, new Guardrails(store, settings), blocking);
        api.post("/alerts").handler(routes::create);
        api.get("/alerts").handler(routes::list);
        api.get("/alerts/rules.yaml").handler(routes::rules);
        api.get("/alerts/:id").handler(routes::get);
        api.delete("/alerts/:id").handler(routes::delete);
        api.get("/alerts/:id/events").handler(routes::events);
    }

    private void create(RoutingContext ctx) {
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        Instant now = Instant.now();
        AlertSubscription a = AlertRequest.parse(body, now);
        blocking.run(() -> {
            guardrails.check(a, now);
            alerts.add(a);
            return AlertJson.withStatus(a, alerts.status(a.id()));
        }).onComplete(result -> {
            // Back on the event loop: the response is only touched from there.
            if (result.failed()) {
                ctx.fail(result.cause());
                return;
            }
            ctx.response().putHeader("Location", "/api/v1/alerts/" + a.id());
            ApiJson.send(ctx, 201, result.result());
        });
    }

    private void list(RoutingContext ctx) {
        blocking.respond(ctx, () -> Map.of("alerts",
                alerts.list().stream().map(a -> AlertJson.withStatus(a, alerts.status(a.id()))).toList()));
    }

    private void get(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        blocking.respond(ctx, () -> AlertJson.withStatus(find(id), alerts.status(id)));
    }

    private void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        blocking.run(() -> {
            if (!alerts.delete(id)) {
                throw missing(id);
            }
            return id;
        }).onComplete(result -> {
            if (result.succeeded()) {
                ctx.response().setStatusCode(204).end();
            } else {
                ctx.fail(result.cause());
            }
        });
    }

    private void events(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        int limit = QueryParams.of(ctx).integer("limit", 100, 1, MAX_EVENTS);
        blocking.respond(ctx, () -> {
            find(id);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id);
            body.put("events", alerts.events(id, limit).stream().map(AlertJson::event).toList());
            return body;
        });
    }

    private void rules(RoutingContext ctx) {
        blocking.run(alerts::list).onComplete(result -> {
            if (result.failed()) {
                ctx.fail(result.cause());
                return;
            }
            List<AlertSubscription> all = result.result();
            ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(RulesYaml.render(all));
        });
    }

    private AlertSubscription find(String id) {
        return alerts.find(id).orElseThrow(() -> missing(id));
    }

    private static ApiException missing(String id) {
        return ApiException.notFound("id", "no alert subscription " + id, "GET /api/v1/alerts lists them");
    }
}
