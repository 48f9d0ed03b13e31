package dev.plumb.testapp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.plumb.Monitor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;

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

        // The JDK's WebSocket handshake goes through HttpClientImpl.sendAsync too, with an internal
        // request whose upgrade headers are hidden state: the agent must send it as it is.
        try (HandshakeServer handshakes = new HandshakeServer()) {
            String opened = caller.openWebSocket(handshakes.uri());
            System.out.println("WEBSOCKET " + opened + " " + handshakes.seen);
        }
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

        /** Opens a WebSocket and aborts it; {@code open}, or {@code failed} and why. */
        @Monitor(kind = Monitor.Kind.CLIENT)
        public String openWebSocket(URI uri) {
            try {
                WebSocket socket = client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() { }).join();
                socket.abort();
                return "open";
            } catch (CompletionException e) {
                return "failed " + e.getCause();
            }
        }

        @Monitor(kind = Monitor.Kind.CLIENT)
        public String callWithOwnHeader() throws IOException, InterruptedException {
            return client.send(HttpRequest.newBuilder(echo).header("x-case", "own")
                    .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    /**
     * Accepts one WebSocket opening handshake, the server side of RFC 6455 section 4.2.2, and
     * remembers the {@code Upgrade} and {@code traceparent} headers it came with.
     */
    static final class HandshakeServer implements AutoCloseable {
        private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
        private final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final Thread thread = new Thread(this::answerOne, "handshake-server");
        volatile String seen = "nothing";

        HandshakeServer() throws IOException {
            thread.start();
        }

        URI uri() {
            return URI.create("ws://127.0.0.1:" + socket.getLocalPort() + "/socket");
        }

        private void answerOne() {
            try (Socket connection = socket.accept()) {
                connection.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(connection.getInputStream(), StandardCharsets.ISO_8859_1));
                Map<String, String> headers = new HashMap<>();
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                    }
                }
                seen = "upgrade=" + headers.get("upgrade") + " traceparent=" + headers.get("traceparent");
                String key = headers.get("sec-websocket-key");
                String response = "websocket".equalsIgnoreCase(headers.get("upgrade")) && key != null
                        ? "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(MessageDigest
                                        .getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)))
                                + "\r\n\r\n"
                        : "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                connection.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                connection.getOutputStream().flush();
                // Until the client goes away.
                while (connection.getInputStream().read() >= 0) {
                    continue;
                }
            } catch (IOException | java.security.NoSuchAlgorithmException e) {
                seen = seen + " server failed: " + e;
            }
        }

        @Override
        public void close() throws Exception {
            thread.join(10_000);
            socket.close();
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
