package dev.plumb.testapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.plumb.Monitor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.MDC;

/**
 * Two JDK HTTP handlers calling each other, the way the demo services do: the outgoing call is
 * a {@code @Monitor(kind = CLIENT)} method that sets {@code traceparent} from the MDC.
 */
public final class HttpApp {

    private HttpApp() {
    }

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int port = server.getAddress().getPort();
        server.createContext("/front", new FrontHandler(new BackClient(port)));
        server.createContext("/back", new BackHandler());
        // The front handler calls the same server, so handlers need threads of their own.
        ExecutorService handlers = Executors.newFixedThreadPool(4);
        server.setExecutor(handlers);
        server.start();
        HttpClient client = HttpClient.newHttpClient();
        for (String query : new String[] {"", "?fail"}) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/front" + query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println("FRONT " + response.statusCode() + " " + response.body());
        }
        server.stop(0);
        handlers.shutdown();
        System.out.println("DONE");
    }

    /** Calls the back end, propagating the current trace. */
    public static class BackClient {
        private final HttpClient client = HttpClient.newHttpClient();
        private final int port;

        BackClient(int port) {
            this.port = port;
        }

        @Monitor(kind = Monitor.Kind.CLIENT)
        public int call(String query) throws IOException, InterruptedException {
            String traceparent = "00-" + MDC.get("trace_id") + "-" + MDC.get("span_id") + "-" + MDC.get("trace_flags");
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/back" + query))
                    .header("traceparent", traceparent)
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    static final class FrontHandler implements HttpHandler {
        private final BackClient back;

        FrontHandler(BackClient back) {
            this.back = back;
        }

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            String query = exchange.getRequestURI().getQuery() == null ? "" : "?" + exchange.getRequestURI().getQuery();
            int status;
            try {
                status = back.call(query);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = 503;
            }
            respond(exchange, 200, "back said " + status);
        }
    }

    static final class BackHandler implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            boolean fail = exchange.getRequestURI().getQuery() != null;
            respond(exchange, fail ? 500 : 200, fail ? "broken" : "fine");
        }
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
