package dev.plumb.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end: every view of a running collector that has data (PLUMB_UI_URL, e.g.
 * http://localhost:4320/ under {@code ./plumb demo}) drawn by headless Chromium, with no panel
 * in error and no script failure.
 */
class UiSmokeIT {

    private static String base;
    private static HeadlessChromium chromium;
    private static final ObjectMapper JSON = new ObjectMapper();

    // Checked per test, so that each one is reported as skipped with the reason.
    @BeforeEach
    void setUp() {
        String url = System.getenv("PLUMB_UI_URL");
        assumeThat(url).as("UiSmokeIT needs a running collector with data: set PLUMB_UI_URL=http://localhost:4320/ "
                + "(e.g. while ./plumb demo runs) to draw every view in headless Chromium").isNotBlank();
        base = url.endsWith("/") ? url : url + "/";
        if (chromium != null) {
            return;
        }
        chromium = HeadlessChromium.find().orElseThrow(() -> new IllegalStateException(
                "PLUMB_UI_URL is set but Chromium is missing: apt-get install -y chromium (or set CHROMIUM=/path)"));
    }

    @Test
    void servicesTableListsTheServicesTheApiKnows() throws Exception {
        JsonNode services = rows(api("services"), "services");
        assertThat(services.size()).as("services at %sapi/v1/services (is the demo running?)", base).isPositive();
        HeadlessChromium.Page page = draw("#/services");
        assertThat(page.panelStates()).containsEntry("services", "ready");
        for (JsonNode s : services) {
            assertThat(page.dom()).contains(">" + s.path("name").asText() + "<");
        }
    }

    @Test
    void servicePageDrawsRedChartsLogsAndTraces() throws Exception {
        String service = rows(api("services"), "services").get(0).path("name").asText();
        HeadlessChromium.Page page = draw("#/service/" + service);
        assertThat(page.panelStates()).containsEntry("summary", "ready").containsEntry("rate", "ready")
                .containsEntry("errorRate", "ready").containsEntry("latency", "ready");
        assertThat(page.dom()).contains("<h1>" + service + "</h1>");
    }

    @Test
    void errorLogSearchShowsRecordsWithTraceLinks() throws Exception {
        HeadlessChromium.Page page = draw("#/logs?q=status:error");
        assertThat(page.panelStates()).containsEntry("results", "ready");
        assertThat(page.dom()).contains("class=\"log sev-error").contains("href=\"#/traces/");
    }

    @Test
    void traceOfTheSearchIsDrawnAsAWaterfallWithItsLogs() throws Exception {
        JsonNode traces = rows(api("traces?limit=5"), "traces");
        assertThat(traces.size()).isPositive();
        HeadlessChromium.Page page = draw("#/traces/" + traces.get(0).path("traceId").asText());
        assertThat(page.panelStates()).containsEntry("waterfall", "ready").containsKey("logs");
        assertThat(page.dom()).contains("class=\"span-details");
    }

    @Test
    void mapTracesAndCostViewsDrawWithoutAFailedPanel() throws Exception {
        for (String view : new String[] {"#/map", "#/traces", "#/cost?from=now-7d"}) {
            draw(view);
        }
    }

    private static HeadlessChromium.Page draw(String hash) throws Exception {
        HeadlessChromium.Page page = chromium.load(base + hash, 8000);
        Map<String, String> states = page.panelStates();
        assertThat(states).as("panels of %s", hash).isNotEmpty();
        assertThat(states).as("panels of %s", hash).doesNotContainValue("error").doesNotContainValue("loading");
        assertThat(page.scriptErrors()).as("script errors on %s", hash).isEmpty();
        return page;
    }

    private static JsonNode api(String pathAndQuery) throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base + "api/v1/" + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as("GET api/v1/%s: %s", pathAndQuery, res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    private static JsonNode rows(JsonNode answer, String key) {
        return answer.isArray() ? answer : answer.path(key);
    }
}
