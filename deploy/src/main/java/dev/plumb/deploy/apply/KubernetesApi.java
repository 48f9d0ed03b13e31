package dev.plumb.deploy.apply;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plumb.deploy.plan.ObjectChange;
import dev.plumb.deploy.plan.Plan;
import dev.plumb.deploy.render.KubeObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Kubernetes API server reached with the JDK HttpClient: reads objects with GET, applies them
 * with server-side apply ({@code PATCH ...?fieldManager=plumb&force=true},
 * {@code application/apply-patch+yaml} with a JSON body, which is valid YAML) and deletes what left
 * the file. The {@link StateDirectory} records what plumb applied, so it knows what to delete.
 */
public final class KubernetesApi implements DeployTarget {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String token;
    private final StateDirectory state;
    private final HttpClient http;

    /** {@code token} may be null (no Authorization header, as with {@code kubectl proxy}). */
    public KubernetesApi(URI base, String token, StateDirectory state) {
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.token = token;
        this.state = state;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    @Override
    public List<KubeObject> current(List<KubeObject> desired) {
        List<KubeObject> out = new ArrayList<>();
        Set<String> ids = desired.stream().map(KubeObject::id).collect(Collectors.toSet());
        List<KubeObject> wanted = new ArrayList<>(desired);
        state.current(desired).stream().filter(o -> !ids.contains(o.id())).forEach(wanted::add);
        for (KubeObject o : wanted) {
            HttpResponse<String> r = send(request(o, "").GET(), o, "GET");
            if (r.statusCode() == 200) {
                out.add(new KubeObject(parse(r.body(), o)));
            } else if (r.statusCode() != 404) {
                throw failure("GET", o, r);
            }
        }
        return out;
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public void apply(Plan plan, List<KubeObject> desired) {
        for (ObjectChange c : plan.changes()) {
            switch (c.action()) {
                case CREATE, UPDATE -> {
                    HttpResponse<String> r = send(request(c.desired(), "?fieldManager=plumb&force=true")
                            .header("Content-Type", "application/apply-patch+yaml")
                            .method("PATCH", HttpRequest.BodyPublishers.ofString(json(c.desired().body()))), c.desired(), "PATCH");
                    if (r.statusCode() / 100 != 2) {
                        throw failure("PATCH", c.desired(), r);
                    }
                }
                case DELETE -> {
                    HttpResponse<String> r = send(request(c.current(), "").DELETE(), c.current(), "DELETE");
                    if (r.statusCode() / 100 != 2 && r.statusCode() != 404) {
                        throw failure("DELETE", c.current(), r);
                    }
                }
                case UNCHANGED -> {
                    // server-side apply of an unchanged object would be a no-op round trip
                }
            }
        }
        state.apply(plan, desired);
    }

    @Override
    public String describe() {
        return "Kubernetes API " + base;
    }

    /** {@code /api/v1/namespaces/NS/services/NAME} or {@code /apis/GROUP/VERSION/namespaces/NS/PLURAL/NAME}. */
    static String path(KubeObject o) {
        String prefix = o.apiVersion().contains("/") ? "/apis/" + o.apiVersion() : "/api/" + o.apiVersion();
        return prefix + "/namespaces/" + o.namespace() + "/" + plural(o.kind()) + "/" + o.name();
    }

    static String plural(String kind) {
        String k = kind.toLowerCase(Locale.ROOT);
        if (k.endsWith("y")) {
            return k.substring(0, k.length() - 1) + "ies";
        }
        return k.endsWith("s") ? k + "es" : k + "s";
    }

    private HttpRequest.Builder request(KubeObject o, String query) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path(o) + query)).timeout(TIMEOUT)
                .header("Accept", "application/json");
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder request, KubeObject o, String verb) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(verb + " " + o.id() + " at " + base + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(verb + " " + o.id() + " was interrupted", e);
        }
    }

    private static IllegalStateException failure(String verb, KubeObject o, HttpResponse<String> r) {
        String message = r.body();
        try {
            Object m = JSON.readValue(r.body(), Map.class).get("message");
            if (m != null) {
                message = String.valueOf(m);
            }
        } catch (IOException notJson) {
            // the raw body is the best description there is
        }
        return new IllegalStateException(verb + " " + o.id() + ": the API server answered " + r.statusCode() + ": " + message);
    }

    private static Map<String, Object> parse(String body, KubeObject o) {
        try {
            return JSON.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("GET " + o.id() + ": the API server's answer is not JSON: " + e.getMessage(), e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
