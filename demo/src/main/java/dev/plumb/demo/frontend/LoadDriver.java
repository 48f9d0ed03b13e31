package dev.plumb.demo.frontend;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays shoppers against the frontend on loopback, a few requests per second, so the demo has
 * traffic without anyone clicking. Stops with the JVM.
 */
final class LoadDriver {

    private static final Logger log = LoggerFactory.getLogger(LoadDriver.class);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService shoppers = Executors.newScheduledThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "shopper");
        thread.setDaemon(true);
        return thread;
    });
    private final URI frontend;

    LoadDriver(URI frontend) {
        this.frontend = frontend;
    }

    void start(double requestsPerSecond) {
        long periodMicros = Math.round(1_000_000 / requestsPerSecond);
        shoppers.scheduleAtFixedRate(this::visit, 500_000, periodMicros, TimeUnit.MICROSECONDS);
        log.info("sending {} requests per second to {}", requestsPerSecond, frontend);
    }

    private void visit() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String path = random.nextDouble() < 0.35
                ? "/catalog?page=" + (1 + random.nextInt(3))
                : "/buy?sku=" + Storefront.CATALOG.get(random.nextInt(Storefront.CATALOG.size())) + "&qty=" + (1 + random.nextInt(3));
        HttpRequest request = HttpRequest.newBuilder(frontend.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // A shopper who cannot connect simply tries again next tick; the frontend logs its own failures.
            log.debug("request {} failed: {}", path, e.toString());
        }
    }
}
