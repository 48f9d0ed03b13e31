package dev.plumb.deploy.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plumb.deploy.plan.ServiceResources;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells the collector what each service declares, so that cost exists before usage does:
 * {@code POST {server}/api/v1/cost/declarations} with
 * {@code {"services":[{"service","namespace","team","replicas","cpuCores","memoryGiB","storageGiB","effectiveFrom"}]}},
 * CPU, memory and storage per pod.
 */
public final class CostDeclarations {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CostDeclarations() {
    }

    /** The request body for {@code services}, effective from {@code from} (RFC 3339, whole seconds). */
    public static String body(List<ServiceResources> services, Instant from) {
        String effectiveFrom = from.truncatedTo(ChronoUnit.SECONDS).toString();
        List<Map<String, Object>> items = services.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("service", r.service());
            m.put("namespace", r.namespace());
            m.put("team", r.team());
            m.put("replicas", r.replicas());
            m.put("cpuCores", r.cpuCores());
            m.put("memoryGiB", r.memoryGiB());
            m.put("storageGiB", r.storageGiB());
            m.put("effectiveFrom", effectiveFrom);
            return m;
        }).toList();
        try {
            return JSON.writeValueAsString(Map.of("services", items));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the declarations: " + e.getMessage(), e);
        }
    }

    /**
     * Posts the declarations; answers null on success, else what went wrong in one sentence (the
     * caller prints it as a warning: a collector that is down must not fail a deploy).
     */
    public static String post(URI server, List<ServiceResources> services, Instant from) {
        if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme())) {
            return "--server " + server + " is not an http(s) URL such as http://localhost:4320";
        }
        URI uri = URI.create(server.toString().replaceAll("/+$", "") + "/api/v1/cost/declarations");
        try {
            HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body(services, from))).build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.statusCode() / 100 == 2 ? null : "POST " + uri + " answered " + r.statusCode() + ": " + r.body();
        } catch (IOException e) {
            return "POST " + uri + " failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "POST " + uri + " was interrupted";
        }
    }
}
