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

/**
 * A monitored method that calls an HTTP server with the JDK's {@code HttpClient} and sets no
 * header itself: the agent adds {@code traceparent}. The server echoes what it received.
 */
public final class ClientPropagationApp {

    private ClientPropagationApp() {
    }

    public static void main(String[] args) throws Exception {
        // The client exists before any monitored class is loaded.
        HttpClient client = HttpClient.newHttpClient();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/echo", new EchoHandler());
        server.start();
        URI echo = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/echo");
        Caller caller = new Caller(client, echo);
        String sync = caller.call();
        String async = caller.callAsync();
        String own = caller.callWithOwnHeader();
        String outside = client.send(HttpRequest.newBuilder(echo).build(), HttpResponse.BodyHandlers.ofString()).body();
        System.out.println("SEEN sync=" + sync + " async=" + async + " own=" + own + " outside=" + outside);
        server.stop(0);
    }

    /** The outgoing calls, each a CLIENT span. */
    public static final class Caller {
        private final HttpClient client;
        private final URI echo;

        Caller(HttpClient client, URI echo) {
            this.client = client;
            this.echo = echo;
        }

        @Monitor(kind = Monitor.Kind.CLIENT)
        public String call() throws IOException, InterruptedException {
            return client.send(HttpRequest.newBuilder(echo).header("x-case", "sync").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        @Monitor(kind = Monitor.Kind.CLIENT)
        public String callAsync() {
            return client.sendAsync(HttpRequest.newBuilder(echo).header("x-case", "async").build(),
                    HttpResponse.BodyHandlers.ofString()).join().body();
        }

        @Monitor(kind = Monitor.Kind.CLIENT)
        public String callWithOwnHeader() throws IOException, InterruptedException {
            return client.send(HttpRequest.newBuilder(echo).header("x-case", "own")
                    .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    /** Answers with the {@code traceparent} it received, or {@code none}. */
    static final class EchoHandler implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
            byte[] body = (traceparent == null ? "none" : traceparent).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }
    }
}
