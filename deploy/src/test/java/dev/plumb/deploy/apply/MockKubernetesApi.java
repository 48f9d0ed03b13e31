package dev.plumb.deploy.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A MOCK Kubernetes API server on loopback (a JDK HttpServer standing in for Kubernetes, not a
 * real one): it keeps objects by path, answers GET with the stored JSON plus a status and
 * server-set metadata as a real API server does, takes server-side apply PATCHes and DELETEs,
 * and records every request line and its Content-Type.
 */
public final class MockKubernetesApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Stored objects by API path. */
    public final Map<String, Map<String, Object>> objects = new ConcurrentHashMap<>();
    /** {@code METHOD path?query content-type} of every request. */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    /** Paths whose PATCH answers 422, to test failures. */
    public final List<String> refuse = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    public MockKubernetesApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @SuppressWarnings("unchecked")
    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getQuery();
        requests.add(ex.getRequestMethod() + " " + path + (query == null ? "" : "?" + query) + " "
                + ex.getRequestHeaders().getFirst("Content-Type"));
        byte[] body = ex.getRequestBody().readAllBytes();
        switch (ex.getRequestMethod()) {
            case "GET" -> {
                Map<String, Object> o = objects.get(path);
                if (o == null) {
                    reply(ex, 404, Map.of("kind", "Status", "message", "not found", "code", 404));
                } else {
                    Map<String, Object> live = new java.util.LinkedHashMap<>(o);
                    Map<String, Object> meta = new java.util.LinkedHashMap<>((Map<String, Object>) o.get("metadata"));
                    meta.put("uid", "0b5e-mock");
                    meta.put("resourceVersion", "42");
                    live.put("metadata", meta);
                    live.put("status", Map.of("observedGeneration", 1));
                    reply(ex, 200, live);
                }
            }
            case "PATCH" -> {
                if (refuse.contains(path)) {
                    reply(ex, 422, Map.of("kind", "Status", "message", "admission webhook denied the request", "code", 422));
                    return;
                }
                Map<String, Object> o = JSON.readValue(new String(body, StandardCharsets.UTF_8), java.util.LinkedHashMap.class);
                boolean created = objects.put(path, o) == null;
                reply(ex, created ? 201 : 200, o);
            }
            case "DELETE" -> reply(ex, objects.remove(path) == null ? 404 : 200, Map.of("kind", "Status", "status", "Success"));
            default -> reply(ex, 405, Map.of("message", "method not allowed"));
        }
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
