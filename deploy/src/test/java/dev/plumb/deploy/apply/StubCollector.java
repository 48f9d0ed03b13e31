package dev.plumb.deploy.apply;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A STUB collector on loopback (a JDK HttpServer, not the real collector, whose declarations
 * endpoint is built separately): {@code POST /api/v1/cost/declarations} answers 202 and keeps
 * {@code METHOD content-type body} of each request.
 */
public final class StubCollector implements AutoCloseable {

    /** {@code POST application/json {...}} per request received. */
    public final List<String> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    public StubCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/cost/declarations", ex -> {
            received.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(202, -1);
            ex.close();
        });
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
