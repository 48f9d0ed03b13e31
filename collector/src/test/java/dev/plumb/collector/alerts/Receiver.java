package dev.plumb.collector.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback JDK HttpServer standing in for a real webhook, a Slack incoming webhook or an
 * Alertmanager: it records every POST (path and JSON body) and can refuse the first few with 503
 * to exercise retries.
 */
final class Receiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Received(String path, JsonNode body) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusals;
    private final AtomicInteger attempts = new AtomicInteger();

    Receiver(int refuseFirst) {
        this.refusals = new AtomicInteger(refuseFirst);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            attempts.incrementAndGet();
            int status = 200;
            if (refusals.getAndDecrement() > 0) {
                status = 503;
            } else {
                received.add(new Received(exchange.getRequestURI().getPath(), JSON.readTree(body)));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    int attempts() {
        return attempts.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
