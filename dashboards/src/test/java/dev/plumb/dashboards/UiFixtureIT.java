package dev.plumb.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The UI in a real browser (headless Chromium) against answers shaped as PRODUCT.md says: what
 * an on-call engineer sees for figures, a bad query, a trace, a missing endpoint, no data.
 */
class UiFixtureIT {

    private static FixtureCollector collector;
    private static HeadlessChromium chromium;

    @BeforeAll
    static void start() throws Exception {
        chromium = HeadlessChromium.find().orElse(null);
        assumeThat(chromium).as("Chromium is not installed (apt-get install -y chromium); the browser tests of the UI are skipped")
                .isNotNull();
        collector = new FixtureCollector();
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    private static HeadlessChromium.Page draw(String hash) throws Exception {
        HeadlessChromium.Page page = chromium.load(collector.url() + hash, 6000);
        assertThat(page.scriptErrors()).as("script errors on %s", hash).isEmpty();
        assertThat(page.panelStates()).as("panels of %s", hash).doesNotContainValue("loading");
        return page;
    }

    @Test
    void servicesTableShowsRatesAndPercentilesBusiestFirst() throws Exception {
        HeadlessChromium.Page page = draw("#/services");
        assertThat(page.panelStates()).containsEntry("services", "ready");
        String dom = page.dom();
        assertThat(dom).contains(">5.00%<", ">480 ms<", ">2,400<");
        assertThat(dom.indexOf(">inventory<")).isLessThan(dom.indexOf(">checkout<"));
        assertThat(dom.indexOf(">checkout<")).isLessThan(dom.indexOf(">payment<"));
        assertThat(dom).contains("href=\"#/service/payment\"");
    }

    @Test
    void servicePageAsksForRedWithTheStepOfItsWindowAndShowsErrorLogs() throws Exception {
        HeadlessChromium.Page page = draw("#/service/payment?from=now-6h");
        assertThat(page.panelStates()).containsEntry("summary", "ready").containsEntry("rate", "ready")
                .containsEntry("errorRate", "ready").containsEntry("latency", "ready").containsEntry("errorLogs", "ready");
        assertThat(collector.apiRequests()).contains("/api/v1/services/payment/red?step=5m&from=now-6h&to=now");
        assertThat(collector.apiRequests()).anyMatch(r -> r.startsWith("/api/v1/logs?q=service:\"payment\" AND status:error"));
        assertThat(page.dom()).contains("class=\"log sev-error\"").contains("href=\"#/traces/4bf92f3577b34da6a3ce929d0e0e4736?from=now-6h\"");
        // A log body is text, never markup.
        assertThat(page.dom()).contains("&lt;b&gt;not markup&lt;/b&gt;");
    }

    @Test
    void queryThatDoesNotParseShowsTheServersErrorWithACaretUnderItsColumn() throws Exception {
        String query = "service:payment AND ((status:error";
        HeadlessChromium.Page page = draw("#/logs?q=" + query.replace(" ", "%20"));
        assertThat(page.panelStates()).containsEntry("results", "error");
        assertThat(page.dom()).contains("400: unexpected '(' at column 21: a field or a term was expected")
                .contains("<code>q</code>")
                .contains("close every '(' with a ')' or remove it")
                .contains(query + "\n" + " ".repeat(21) + "^</pre>")
                .contains("aria-invalid=\"true\"");
    }

    @Test
    void traceIsAWaterfallThatOpensOnItsFailedSpanBesideItsLogs() throws Exception {
        HeadlessChromium.Page page = draw("#/traces/4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(page.panelStates()).containsEntry("waterfall", "ready").containsEntry("logs", "ready");
        assertThat(page.dom()).contains("3 spans · 3 services").contains("1 failed")
                .contains("class=\"span-details is-error\"").contains("payment · PaymentService.charge")
                .contains("ERROR — card declined").contains("at dev.demo.PaymentService.charge(PaymentService.java:42)");
    }

    @Test
    void costViewShowsDriversAndSaysNotAvailableForAnEndpointTheServerLacks() throws Exception {
        HeadlessChromium.Page page = draw("#/cost?service=payment&from=now-7d");
        assertThat(page.panelStates()).containsEntry("byResource", "ready").containsEntry("totals", "ready")
                .containsEntry("drivers", "ready").containsEntry("benchmark", "unavailable");
        assertThat(page.dom()).contains("payment ran 5 pods instead of 3 from Tuesday: +1.92", ">+1.93<", ">7.85<")
                .contains("Not available: this server does not offer <code>/api/v1/cost/benchmark</code> yet.");
        assertThat(collector.apiRequests()).anyMatch(r -> r.startsWith("/api/v1/cost?groupBy=service&step=1d&from=now-7d"));
    }

    @Test
    void servicesRefreshEveryTenSecondsWhileTheWindowEndsNow() throws Exception {
        long before = collector.apiRequests().stream().filter(r -> r.startsWith("/api/v1/services?from=now-24h")).count();
        HeadlessChromium.Page page = chromium.load(collector.url() + "#/services?from=now-24h", 35_000);
        long calls = collector.apiRequests().stream().filter(r -> r.startsWith("/api/v1/services?from=now-24h")).count() - before;
        // Loaded once, then once per 10 s of the 35 s the page ran.
        assertThat(calls).isBetween(3L, 5L);
        assertThat(page.dom()).contains("aria-pressed=\"true\" title=\"Refresh every 10 seconds\">Auto 10s<");
    }

    @Test
    void anUnknownRouteSaysSoAndLinksHome() throws Exception {
        HeadlessChromium.Page page = draw("#/nowhere");
        assertThat(page.dom()).contains("No such page").contains("href=\"#/services\"");
    }

    @Test
    void windowWithoutDataSaysWhereToPointTheAgent() throws Exception {
        HeadlessChromium.Page page = draw("#/services?from=now-5m");
        assertThat(page.panelStates()).containsEntry("services", "empty");
        assertThat(page.dom()).contains("No data in this window — is the agent pointed at http://127.0.0.1:4318?");
    }
}
