package dev.plumb.cli.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.plumb.analytics.cost.CostEngine;
import dev.plumb.analytics.cost.Pricing;
import dev.plumb.analytics.cost.UsageSample;
import dev.plumb.collector.Collector;
import dev.plumb.collector.PlumbConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code plumb report cost} against a running collector, posting to a stand-in for Slack's
 * incoming webhook: a com.sun.net.httpserver server on loopback that records what it is sent and
 * answers 200 as Slack does. The usage, one pod-hour costing 0.031611 + 0.004237 = 0.035848
 * (1 core and 1 GiB requested, default prices): the week before, 1 pod for 120 hours (4.30);
 * this week, 2 pods for 120 hours (8.60).
 */
class ReportCostTest {
    private static final double GIB = 1024.0 * 1024 * 1024;

    @TempDir
    Path data;
    private Collector collector;
    private HttpServer slack;
    private final List<String> posted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        List<UsageSample> samples = new ArrayList<>();
        for (int h = 0; h < 120; h++) {
            samples.add(sample("api-old", hour.minus(Duration.ofDays(13)).plus(Duration.ofHours(h))));
            for (String pod : new String[] {"api-a", "api-b"}) {
                samples.add(sample(pod, hour.minus(Duration.ofDays(6)).plus(Duration.ofHours(h))));
            }
        }
        try (CostEngine engine = CostEngine.open(data, Pricing.defaults())) {
            engine.record(samples, "test");
        }
        collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data));
        slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slack.createContext("/services/T000/B000/XXXX", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        slack.start();
    }

    @AfterEach
    void stop() {
        if (slack != null) {
            slack.stop(0);
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void postsTheWeeksCostItsChangeAndItsDriversToTheWebhook() throws Exception {
        String server = "http://127.0.0.1:" + collector.httpPort();
        String webhook = "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T000/B000/XXXX";
        Run run = report("cost", "--since", "7d", "--server", server, "--webhook", webhook);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("posted the cost report to 127.0.0.1");
        assertThat(posted).hasSize(1);
        String text = new ObjectMapper().readTree(posted.get(0)).get("text").asText();
        // --since 7d is printed as the CLI formats durations: 1w
        assertThat(text).contains("Plumb cost report, last 1w (USD)");
        assertThat(text).contains("Total 8.60, +4.30 against the 1w before (4.30)");
        assertThat(text).contains("1. api");
        assertThat(text).contains("(240.0 pod-hours instead of 120.0): +4.30");
    }

    @Test
    void aRefusingWebhookIsANonZeroExitNamingTheStatus() {
        String server = "http://127.0.0.1:" + collector.httpPort();
        String webhook = "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/unknown";
        Run run = report("cost", "--since", "7d", "--server", server, "--webhook", webhook);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("the webhook answered HTTP 404");
    }

    /** The report command as {@code plumb report} runs it, its output captured. */
    private static Run report(String... args) {
        CommandLine cli = new CommandLine(new ReportCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static UsageSample sample(String pod, Instant ts) {
        return new UsageSample(pod, "shop", "api", null, null, Map.of(), ts, 3600.0, 0.5, 1, 0.5 * GIB, GIB, 0, 0, 0);
    }
}
