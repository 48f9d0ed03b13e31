package dev.plumb.collector.ui;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the dashboards (classpath {@code plumb-dashboards/}, from the dashboards module) at
 * {@code /} and the webjars they use (ECharts) at {@code /webjars/}. Without the dashboards on
 * the classpath, {@code /} answers a pointer to the API instead of an error.
 */
public final class DashboardRoutes {
    static final String DASHBOARDS = "plumb-dashboards";

    private DashboardRoutes() {
    }

    public static void mount(Router root) {
        root.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars")
                .setCachingEnabled(true).setMaxAgeSeconds(86_400));
        if (DashboardRoutes.class.getClassLoader().getResource(DASHBOARDS + "/index.html") != null) {
            root.route("/*").handler(StaticHandler.create(DASHBOARDS).setIndexPage("index.html"));
        } else {
            root.get("/").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
                    .end(new JsonObject()
                            .put("name", "plumb")
                            .put("api", "/api/v1")
                            .put("openapi", "/api/v1/openapi.json")
                            .put("note", "the dashboards are not on this server's classpath")
                            .encodePrettily()));
        }
    }
}
