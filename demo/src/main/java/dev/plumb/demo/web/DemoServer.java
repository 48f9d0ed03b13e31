package dev.plumb.demo.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.plumb.demo.launch.OrphanGuard;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The JDK HTTP server every demo service runs on, with the small request and response plumbing they share. */
public final class DemoServer {

    private final HttpServer server;
    private final ExecutorService workers;

    private DemoServer(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    /** Binds 127.0.0.1 on {@code PLUMB_DEMO_PORT} (0 picks a free port) and serves the given routes plus {@code /health}. */
    public static DemoServer start(Map<String, HttpHandler> routes) throws IOException {
        OrphanGuard.exitWithLauncher();
        int port = Integer.parseInt(System.getenv().getOrDefault("PLUMB_DEMO_PORT", "0"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        routes.forEach(server::createContext);
        server.createContext("/health", new HealthHandler());
        ExecutorService workers = Executors.newFixedThreadPool(16);
        server.setExecutor(workers);
        server.start();
        DemoServer demo = new DemoServer(server, workers);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::stop, "demo-server-stop"));
        return demo;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void stop() {
        server.stop(1);
        workers.shutdownNow();
    }

    /** The URL of another demo service, from the environment variable the launcher sets. */
    public static URI requiredUrl(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: start the demo with ./plumb demo");
        }
        return URI.create(value);
    }

    public static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    public static void respond(HttpExchange exchange, int status, String json) throws IOException {
        try (InputStream ignored = exchange.getRequestBody()) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        } finally {
            exchange.close();
        }
    }

    /** Answers {@code {"error": message}} with the given status. */
    public static void respondError(HttpExchange exchange, int status, String message) throws IOException {
        respond(exchange, status, "{\"error\":" + quoted(message) + "}");
    }

    /** Quotes a value for the small JSON bodies the demo writes by hand. */
    public static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : String.valueOf(value).toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static final class HealthHandler implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            respond(exchange, 200, "{\"status\":\"up\"}");
        }
    }
}
