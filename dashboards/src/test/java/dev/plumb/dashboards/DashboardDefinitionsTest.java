package dev.plumb.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard definitions a platform team edits: each must parse, be reachable from a
 * route, and ask only for calls, parameters and fields that PRODUCT.md's API has.
 */
class DashboardDefinitionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static JsonNode index;
    private static Map<String, JsonNode> definitions;

    @BeforeAll
    static void load() throws IOException {
        dir = DashboardResources.root().resolve("dashboards");
        index = JSON.readTree(dir.resolve("index.json").toFile());
        definitions = new LinkedHashMap<>();
        for (Path file : DashboardResources.files(dir, ".json")) {
            if (!file.getFileName().toString().equals("index.json")) {
                definitions.put(file.getFileName().toString(), JSON.readTree(file.toFile()));
            }
        }
    }

    @Test
    void everyRouteHasItsDefinitionAndEveryDefinitionARoute() {
        Set<String> listed = new TreeSet<>();
        Set<String> routes = new HashSet<>();
        for (JsonNode d : index.path("dashboards")) {
            listed.add(d.path("file").asText());
            assertThat(d.path("route").asText()).as("route of %s", d.path("id")).startsWith("/");
            assertThat(routes.add(d.path("route").asText())).as("route %s listed twice", d.path("route")).isTrue();
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(definitions.keySet());
        assertThat(routes).contains("/services", "/service/:service", "/logs", "/traces", "/traces/:traceId", "/map", "/cost");
    }

    @Test
    void everyQueryCallsAContractEndpointWithItsParameters() {
        List<String> problems = new ArrayList<>();
        eachQuery((file, query) -> {
            String path = query.path("path").asText();
            ApiContract.of(path).ifPresentOrElse(endpoint -> query.path("params").fieldNames().forEachRemaining(p -> {
                if (!endpoint.accepts(p)) {
                    problems.add(file + ": " + path + " has no parameter '" + p + "'");
                }
            }), () -> problems.add(file + ": " + path + " is not an API call of PRODUCT.md"));
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyPanelIsOfAKnownTypeAndReadsFieldsItsCallAnswers() {
        Set<String> types = DashboardResources.namesAfter(
                DashboardResources.root().resolve("js/panels/index.js"), "export const PANELS", "(\\w+): render");
        assertThat(types).contains("table", "timeseries", "logs", "waterfall", "serviceMap", "costChart", "drivers", "benchmark");
        List<String> problems = new ArrayList<>();
        definitions.forEach((file, d) -> {
            for (JsonNode panel : d.path("panels")) {
                String where = file + " panel " + panel.path("id").asText();
                if (!types.contains(panel.path("type").asText())) {
                    problems.add(where + ": unknown type " + panel.path("type"));
                }
                Set<String> fields = ApiContract.of(panel.path("query").path("path").asText())
                        .map(ApiContract::fields).orElse(Set.of());
                for (String field : fieldsRead(panel)) {
                    if (!fields.contains(field)) {
                        problems.add(where + ": reads '" + field + "', which " + panel.path("query").path("path").asText()
                                + " does not answer");
                    }
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyVariableIsGivenByTheRouteTheControlsTheAppOrTheRow() {
        Set<String> builtins = DashboardResources.namesAfter(
                DashboardResources.root().resolve("js/variables.js"), "export const BUILTIN_VARIABLES", "'(\\w+)'");
        assertThat(builtins).contains("from", "to", "step");
        List<String> problems = new ArrayList<>();
        for (JsonNode entry : index.path("dashboards")) {
            String file = entry.path("file").asText();
            JsonNode d = definitions.get(file);
            Set<String> known = new HashSet<>(builtins);
            known.addAll(DashboardResources.matches(":(\\w+)", entry.path("route").asText()));
            d.path("controls").forEach(c -> known.add(c.path("var").asText()));
            // Query parameters that links set (e.g. #/traces?service=...) are variables too.
            definitions.values().forEach(other -> collectText(other, t -> known.addAll(
                    DashboardResources.matches("[?&](\\w+)=", t))));
            for (JsonNode panel : d.path("panels")) {
                Set<String> rowFields = ApiContract.of(panel.path("query").path("path").asText())
                        .map(ApiContract::fields).orElse(Set.of());
                collectText(panel, text -> {
                    for (String v : DashboardResources.matches("\\$\\{(\\w+)}", text)) {
                        if (!known.contains(v) && !rowFields.contains(v)) {
                            problems.add(file + " panel " + panel.path("id").asText() + ": ${" + v + "} is never set");
                        }
                    }
                });
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theServicePageDrawsRedChartsFromItsSeriesWithAStepChosenByWindow() {
        JsonNode service = definitions.get("service.json");
        List<String> redFields = new ArrayList<>();
        for (JsonNode panel : service.path("panels")) {
            if (panel.path("query").path("path").asText().equals("/services/{service}/red")) {
                assertThat(panel.path("query").path("params").path("step").asText()).isEqualTo("${step}");
                panel.path("series").forEach(s -> redFields.add(s.path("field").asText()));
            }
        }
        assertThat(redFields).containsExactlyInAnyOrder("requests", "errorRate", "p50Ms", "p95Ms", "p99Ms");
    }

    @Test
    void theServicesTableShowsEveryFigureOfTheContract() {
        JsonNode table = definitions.get("services.json").path("panels").get(0);
        List<String> columns = new ArrayList<>();
        table.path("columns").forEach(c -> columns.add(c.path("field").asText()));
        assertThat(columns).containsExactly("name", "requests", "errors", "errorRate", "p50Ms", "p95Ms", "p99Ms");
        assertThat(table.path("rowLink").asText()).isEqualTo("#/service/${name}");
    }

    /** Every field name a panel reads from its call's answer, as its definition names them. */
    private static Set<String> fieldsRead(JsonNode panel) {
        Set<String> fields = new TreeSet<>();
        panel.path("columns").forEach(c -> fields.add(c.path("field").asText()));
        panel.path("series").forEach(s -> fields.add(s.path("field").asText()));
        panel.path("stats").forEach(s -> fields.add(s.path("field").asText()));
        panel.path("match").fieldNames().forEachRemaining(fields::add);
        panel.path("resources").forEach(r -> fields.add(r.asText()));
        panel.path("aggregate").path("sum").forEach(f -> fields.add(f.asText()));
        for (String key : List.of("rows", "field", "x")) {
            fields.add(panel.path(key).asText());
        }
        fields.add(panel.path("aggregate").path("by").asText());
        fields.add(panel.path("sort").path("field").asText());
        fields.remove("");
        return fields;
    }

    private static void eachQuery(BiConsumer<String, JsonNode> action) {
        definitions.forEach((file, d) -> walk(d, node -> {
            if (node.isObject() && node.has("path") && node.path("path").asText().startsWith("/")) {
                action.accept(file, node);
            }
        }));
    }

    private static void collectText(JsonNode node, Consumer<String> action) {
        walk(node, n -> {
            if (n.isTextual()) {
                action.accept(n.asText());
            }
        });
    }

    private static void walk(JsonNode node, Consumer<JsonNode> action) {
        action.accept(node);
        node.forEach(child -> walk(child, action));
    }
}
