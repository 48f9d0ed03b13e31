package dev.plumb.dashboards;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the collector's HTTP side on loopback: the UI from the classpath as the
 * collector serves it, and /api/v1 answered from the JSON files in src/test/resources/api.
 * A request with {@code from=now-5m} gets empty lists (a window without data); a log query
 * with "((" gets the 400 of a query that does not parse; calls without a fixture get 404.
 */
final class FixtureCollector implements AutoCloseable {

    private final HttpServer server;
    private final List<String> apiRequests = new CopyOnWriteArrayList<>();

    FixtureCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Path and query of every API call the page made, decoded, in order. */
    List<String> apiRequests() {
        return List.copyOf(apiRequests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String path = uri.getPath();
            if (path.startsWith("/api/v1/")) {
                String query = uri.getRawQuery() == null ? "" : URLDecoder.decode(uri.getRawQuery(), StandardCharsets.UTF_8);
                apiRequests.add(path + (query.isEmpty() ? "" : "?" + query));
                answerApi(exchange, path.substring("/api/v1".length()), query);
            } else if (path.startsWith("/webjars/")) {
                send(exchange, 200, contentType(path), resource("META-INF/resources" + path));
            } else {
                send(exchange, 200, contentType(path), resource("plumb-dashboards" + (path.equals("/") ? "/index.html" : path)));
            }
        }
    }

    private void answerApi(HttpExchange exchange, String call, String query) throws IOException {
        boolean noData = query.contains("from=now-5m");
        String fixture;
        if (noData) {
            send(exchange, 200, "application/json", "[]".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (call.equals("/services")) {
            fixture = "services.json";
        } else if (call.matches("/services/[^/]+/red")) {
            fixture = "red.json";
        } else if (call.equals("/logs")) {
            fixture = query.contains("((") ? "logs-400.json" : "logs.json";
        } else if (call.equals("/traces")) {
            fixture = "traces.json";
        } else if (call.matches("/traces/[0-9a-f]{32}")) {
            fixture = "trace.json";
        } else if (call.equals("/service-map")) {
            fixture = "service-map.json";
        } else if (call.equals("/cost")) {
            fixture = "cost.json";
        } else if (call.equals("/cost/drivers")) {
            fixture = "cost-drivers.json";
        } else {
            send(exchange, 404, "application/json",
                    "{\"error\":\"no such endpoint\",\"field\":\"path\",\"hint\":\"see /api/v1/openapi.json\"}"
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        int status = fixture.endsWith("-400.json") ? 400 : 200;
        send(exchange, status, "application/json", resource("api/" + fixture));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = FixtureCollector.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static String contentType(String path) {
        if (path.endsWith(".js")) {
            return "text/javascript";
        }
        if (path.endsWith(".css")) {
            return "text/css";
        }
        if (path.endsWith(".json")) {
            return "application/json";
        }
        if (path.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "text/html; charset=utf-8";
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
