package dev.plumb.agent.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent's {@code /metrics} endpoint (text, OpenMetrics and protobuf formats, chosen by the
 * scraper's {@code Accept} header).
 */
public final class PrometheusEndpoint {

    private PrometheusEndpoint() {
    }

    /**
     * Starts the endpoint on daemon threads so that it never keeps the application's JVM alive.
     *
     * @throws IOException when the port cannot be bound
     */
    public static HTTPServer start(PrometheusRegistry registry, String host, int port) throws IOException {
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "plumb-prometheus");
            thread.setDaemon(true);
            return thread;
        });
        // The JDK's HTTP server dispatcher thread inherits the daemon flag of the thread that starts it.
        AtomicReference<Object> result = new AtomicReference<>();
        Thread starter = new Thread(() -> {
            try {
                result.set(HTTPServer.builder()
                        .hostname(host)
                        .port(port)
                        .registry(registry)
                        .executorService(executor)
                        .buildAndStart());
            } catch (IOException | RuntimeException e) {
                result.set(e);
            }
        }, "plumb-prometheus-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the Prometheus endpoint", e);
        }
        Object started = result.get();
        if (started instanceof HTTPServer server) {
            return server;
        }
        executor.shutdownNow();
        if (started instanceof IOException e) {
            throw e;
        }
        throw new IOException("cannot start the Prometheus endpoint on " + host + ":" + port, (Throwable) started);
    }
}
