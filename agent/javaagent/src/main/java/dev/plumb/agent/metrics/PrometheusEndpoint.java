package dev.plumb.agent.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's {@code /metrics} endpoint (text, OpenMetrics and protobuf formats, chosen by the
 * scraper's {@code Accept} header).
 */
public final class PrometheusEndpoint {

    private PrometheusEndpoint() {
    }

    /**
     * Starts the endpoint on a daemon thread and returns at once: binding the port and starting
     * the JDK's HTTP server stay off the application's start-up path. A port that cannot be
     * bound is reported in one line on stderr; the rest of the agent goes on.
     */
    public static CompletableFuture<HTTPServer> startInBackground(PrometheusRegistry registry, String host, int port) {
        CompletableFuture<HTTPServer> result = new CompletableFuture<>();
        // The JDK's HTTP server dispatcher thread inherits the daemon flag of the thread that starts it.
        Thread starter = new Thread(() -> {
            ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "plumb-prometheus");
                thread.setDaemon(true);
                return thread;
            });
            try {
                result.complete(HTTPServer.builder()
                        .hostname(host)
                        .port(port)
                        .registry(registry)
                        .executorService(executor)
                        .buildAndStart());
            } catch (IOException | RuntimeException e) {
                executor.shutdownNow();
                System.err.println("[plumb-agent] ERROR cannot start the Prometheus endpoint on " + host + ":" + port
                        + " (" + e + "); set PLUMB_PROMETHEUS_PORT to a free port, or 0 to turn it off."
                        + " Spans, logs and OTLP metrics are not affected.");
                result.completeExceptionally(e);
            }
        }, "plumb-prometheus-start");
        starter.setDaemon(true);
        starter.start();
        return result;
    }
}
