package dev.plumb.collector.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.analytics.cost.CostEngine;
import dev.plumb.analytics.cost.Pricing;
import dev.plumb.analytics.cost.UsageSample;
import dev.plumb.collector.ApiClient;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document served at {@code /api/v1/openapi.json} describes what the collector
 * really serves: every GET and POST route of the API router is a path of the document (and the
 * other way round), and every field a cost call writes, on an empty store and on one with three
 * weeks of usage, is declared in the schema of the status it answered, with a matching type.
 */
class OpenApiCompletenessTest {
    private static final String API = "/api/v1";
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final Instant TODAY = Instant.now().truncatedTo(ChronoUnit.DAYS);
    /** The day checkout runs four pods instead of one. */
    private static final Instant SPIKE = TODAY.minus(Duration.ofDays(2));

    @TempDir
    static Path emptyData;
    @TempDir
    static Path usedData;
    static Collector empty;
    static Collector used;
    static JsonNode document;

    @BeforeAll
    static void start() {
        try (CostEngine engine = CostEngine.open(usedData, Pricing.defaults())) {
            engine.record(threeWeeksOfUsage(), "test");
        }
        empty = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(emptyData));
        used = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(usedData));
        document = new ApiClient(empty.httpPort()).json(API + "/openapi.json");
    }

    @AfterAll
    static void stop() {
        if (empty != null) {
            empty.close();
        }
        if (used != null) {
            used.close();
        }
    }

    /**
     * Hourly samples of checkout and search (team commerce) for the 20 days before today; checkout
     * requests far more CPU than it uses, and runs three more pods on {@link #SPIKE}.
     */
    private static List<UsageSample> threeWeeksOfUsage() {
        List<UsageSample> samples = new ArrayList<>();
        for (Instant ts = TODAY.minus(Duration.ofDays(20)); ts.isBefore(TODAY); ts = ts.plus(Duration.ofHours(1))) {
            samples.add(sample("checkout-0", "checkout", ts, 0.5, 4));
            samples.add(sample("search-0", "search", ts, 0.9, 1));
            if (ts.truncatedTo(ChronoUnit.DAYS).equals(SPIKE)) {
                for (int i = 1; i <= 3; i++) {
                    samples.add(sample("checkout-" + i, "checkout", ts, 0.5, 4));
                }
            }
        }
        return samples;
    }

    private static UsageSample sample(String pod, String service, Instant ts, double cpuUsage, double cpuRequest) {
        return new UsageSample(pod, "shop", service, "commerce", null, Map.of(), ts, null, cpuUsage, cpuRequest,
                0.9 * GIB, GIB, 10 * GIB, 1e6, 1e5);
    }

    @Test
    void everyRouteOfTheApiRouterIsAPathOfTheDocumentAndNoPathIsInvented() {
        Set<String> served = new TreeSet<>();
        collect(empty.httpRouter(), "", served);
        assertThat(served).as("GET/POST routes under " + API)
                .contains("GET /openapi.json", "GET /services/{service}/red", "GET /traces/{traceId}",
                        "GET /cost", "GET /cost/trend", "GET /cost/efficiency", "GET /cost/anomalies");

        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").properties().iterator(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : List.of("get", "post")) {
                if (path.getValue().has(method)) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        assertThat(documented).as("operations in openapi.json").containsAll(served);
        assertThat(served).as("routes served under " + API).containsAll(documented);
    }

    /** Adds "METHOD /path" of every GET or POST route of {@code router} and its sub-routers under /api/v1. */
    private static void collect(Router router, String prefix, Set<String> out) {
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (route.getSubRouter() != null) {
                collect(route.getSubRouter(), prefix + path.replaceAll("/$", ""), out);
            } else if (path != null && route.methods() != null && (prefix + path).startsWith(API + "/")) {
                String template = (prefix + path).substring(API.length()).replaceAll(":(\\w+)", "{$1}");
                for (HttpMethod method : route.methods()) {
                    if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.POST)) {
                        out.add(method.name() + " " + template);
                    }
                }
            }
        }
    }

    @Test
    void everyFieldTheCostCallsWriteOnAnEmptyStoreIsDeclared() {
        List<String> problems = new ArrayList<>();
        ApiClient api = new ApiClient(empty.httpPort());
        check(api, "/cost", "", 200, problems);
        check(api, "/cost", "?groupBy=team&step=1d&from=now-7d", 200, problems);
        check(api, "/cost", "?step=fortnight", 400, problems);
        check(api, "/cost/drivers", "", 200, problems);
        check(api, "/cost/drivers", "?service=checkout", 404, problems);
        check(api, "/cost/benchmark", "?service=checkout", 404, problems);
        check(api, "/cost/benchmark", "", 400, problems);
        check(api, "/cost/trend", "", 200, problems);
        check(api, "/cost/trend", "?groupBy=colour", 400, problems);
        check(api, "/cost/efficiency", "", 200, problems);
        check(api, "/cost/efficiency", "?service=checkout", 404, problems);
        check(api, "/cost/efficiency", "?targetUtilisation=3", 400, problems);
        check(api, "/cost/anomalies", "", 200, problems);
        check(api, "/cost/anomalies", "?minAmount=-1", 400, problems);
        assertThat(problems).isEmpty();
    }

    @Test
    void everyFieldTheCostCallsWriteOnAStoreWithUsageIsDeclared() {
        List<String> problems = new ArrayList<>();
        ApiClient api = new ApiClient(used.httpPort());
        String spikeDay = "from=" + SPIKE + "&to=" + SPIKE.plus(Duration.ofDays(1));

        JsonNode costs = check(api, "/cost", "?from=now-21d", 200, problems);
        assertThat(costs.get("rows")).isNotEmpty();
        JsonNode drivers = check(api, "/cost/drivers", "?service=checkout&" + spikeDay, 200, problems);
        assertThat(drivers.get("drivers")).isNotEmpty();
        check(api, "/cost/drivers", "?" + spikeDay, 200, problems);
        JsonNode benchmark = check(api, "/cost/benchmark", "?service=checkout&from=now-21d", 200, problems);
        assertThat(benchmark.get("peers")).isNotEmpty();

        JsonNode trend = check(api, "/cost/trend", "", 200, problems);
        assertThat(trend.get("groups")).hasSize(2);
        assertThat(trend.get("groups").get(0).get("series")).isNotEmpty();
        assertThat(trend.get("groups").get(0).get("changePercent").isNumber()).isTrue();
        check(api, "/cost/trend", "?groupBy=team&service=checkout", 200, problems);

        JsonNode efficiency = check(api, "/cost/efficiency", "?from=now-21d", 200, problems);
        assertThat(efficiency.get("services")).hasSize(2);
        assertThat(efficiency.findValues("suggestedCpuCores")).anyMatch(JsonNode::isNumber).anyMatch(JsonNode::isNull);

        JsonNode anomalies = check(api, "/cost/anomalies", "", 200, problems);
        assertThat(anomalies.get("anomalies")).isNotEmpty();
        assertThat(anomalies.get("anomalies").get(0).get("drivers")).isNotEmpty();
        assertThat(problems).isEmpty();
    }

    /**
     * Calls {@code path + query}, expects {@code status}, and adds to {@code problems} every field
     * of the answer that the document's schema for that path and status does not declare.
     */
    private static JsonNode check(ApiClient api, String path, String query, int status, List<String> problems) {
        ApiClient.Answer answer = api.get(API + path + query);
        assertThat(answer.status()).as("GET %s%s: %s", path, query, answer.text()).isEqualTo(status);
        JsonNode operation = document.path("paths").path(path).path("get");
        JsonNode response = resolve(operation.path("responses").path(Integer.toString(status)));
        String call = "GET " + path + query + " " + status;
        if (response.isMissingNode()) {
            problems.add(call + ": the document lists no " + status + " answer");
            return answer.json();
        }
        conforms(answer.json(), response.path("content").path("application/json").path("schema"), call + " $",
                problems);
        return answer.json();
    }

    /** Follows {@code $ref}s within the document. */
    private static JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = document.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    /** Checks {@code value} against {@code schema}: its type, declared properties, items and required fields. */
    private static void conforms(JsonNode value, JsonNode schema, String at, List<String> problems) {
        if (schema.isMissingNode()) {
            problems.add(at + ": no schema");
            return;
        }
        List<JsonNode> parts = new ArrayList<>();
        flatten(resolve(schema), parts);
        Set<String> types = new HashSet<>();
        JsonNode properties = null;
        boolean open = false;
        for (JsonNode part : parts) {
            part.path("type").forEach(t -> types.add(t.asText()));
            if (part.path("type").isTextual()) {
                types.add(part.get("type").asText());
            }
            if (part.has("const") && !part.get("const").equals(value)) {
                problems.add(at + ": " + value + " is not the constant " + part.get("const"));
            }
            if (part.has("enum") && value.isTextual() && !contains(part.get("enum"), value)) {
                problems.add(at + ": " + value + " is not one of " + part.get("enum"));
            }
            if (part.has("properties")) {
                properties = properties == null ? part.get("properties").deepCopy()
                        : ((ObjectNode) properties).setAll(
                                (ObjectNode) part.get("properties"));
            }
            open |= part.has("additionalProperties") && !part.get("additionalProperties").equals(
                    BooleanNode.FALSE);
            for (JsonNode required : part.path("required")) {
                if (value.isObject() && !value.has(required.asText())) {
                    problems.add(at + ": required field " + required.asText() + " is missing");
                }
            }
            if (part.path("format").asText().equals("date-time") && value.isTextual()) {
                try {
                    Instant.parse(value.asText());
                } catch (DateTimeParseException e) {
                    problems.add(at + ": " + value + " is not an RFC 3339 time");
                }
            }
        }
        if (!types.isEmpty() && !types.contains(typeOf(value))
                && !(typeOf(value).equals("integer") && types.contains("number"))) {
            problems.add(at + ": " + typeOf(value) + " " + value + " where the schema says " + types);
        }
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.properties().iterator(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode declared = properties == null ? null : properties.get(field.getKey());
                if (declared != null) {
                    conforms(field.getValue(), declared, at + "." + field.getKey(), problems);
                } else if (!open) {
                    problems.add(at + "." + field.getKey() + " is not declared in the schema");
                }
            }
        } else if (value.isArray()) {
            JsonNode items = parts.stream().filter(p -> p.has("items")).map(p -> p.get("items")).findFirst()
                    .orElse(MissingNode.getInstance());
            for (int i = 0; i < value.size(); i++) {
                conforms(value.get(i), items, at + "[" + i + "]", problems);
            }
        }
    }

    /** A schema and, through {@code allOf}, the schemas it is made of. */
    private static void flatten(JsonNode schema, List<JsonNode> out) {
        out.add(schema);
        for (JsonNode part : schema.path("allOf")) {
            flatten(resolve(part), out);
        }
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode v : array) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String typeOf(JsonNode value) {
        if (value.isNull()) {
            return "null";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        return value.isArray() ? "array" : "object";
    }
}
