package dev.plumb.cli.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plumb.cli.api.PlumbApi;
import dev.plumb.collector.DurationText;
import java.io.IOException;
import java.io.PrintWriter;
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
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code plumb report cost}: the cost report from a running server, printed or posted to chat. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Reports for people: the cost report, printed or posted to chat.",
        subcommands = ReportCommand.Cost.class)
public final class ReportCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: see plumb report --help");
    }

    @Command(name = "cost", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
            description = {"Top services by cost over the period, the change against the period before it and",
                    "its drivers, and the costliest services per 1,000 requests."},
            footer = {"", "Examples:", "  ./plumb report cost --since 7d",
                    "  ./plumb report cost --since 7d --webhook https://hooks.slack.com/services/...", "",
                    "Exit codes: 0 printed or posted, 1 the server or the webhook refused, 2 bad command line."})
    static final class Cost implements Callable<Integer> {
        private static final int TOP = 5;

        @Option(names = "--since", paramLabel = "DURATION", defaultValue = "7d",
                description = "The period to report, ending now, such as 7d or 24h. Default: ${DEFAULT-VALUE}.")
        String since;

        @Option(names = "--webhook", paramLabel = "URL",
                description = "Post to this Slack-compatible incoming webhook instead of printing.")
        URI webhook;

        @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:PLUMB_SERVER:-http://localhost:4320}",
                description = "The Plumb server to ask (env PLUMB_SERVER). Default: ${DEFAULT-VALUE}.")
        URI server;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            String period;
            try {
                period = DurationText.format(DurationText.parse(since));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--since: " + e.getMessage());
            }
            PrintWriter err = spec.commandLine().getErr();
            try {
                String report = report(new PlumbApi(server), period);
                if (webhook == null) {
                    spec.commandLine().getOut().print(report);
                    spec.commandLine().getOut().flush();
                } else {
                    post(report);
                    spec.commandLine().getOut().println("posted the cost report to " + webhook.getHost());
                }
                return 0;
            } catch (PlumbApi.ApiException e) {
                err.println("plumb report cost: " + e.getMessage() + (e.field() == null ? "" : " (" + e.field() + ")"));
                return 1;
            } catch (IOException e) {
                err.println("plumb report cost: " + e.getMessage());
                return 1;
            }
        }

        private String report(PlumbApi api, String period) throws IOException, InterruptedException,
                PlumbApi.ApiException {
            Map<String, String> window = new LinkedHashMap<>();
            window.put("from", "now-" + period);
            window.put("to", "now");
            Map<String, String> costQuery = new LinkedHashMap<>(window);
            costQuery.put("groupBy", "service");
            costQuery.put("step", "1d");
            JsonNode costs = api.get("cost", costQuery);
            Map<String, Double> byService = new LinkedHashMap<>();
            costs.path("rows").forEach(r -> byService.merge(r.path("group").asText(), r.path("total").asDouble(), Double::sum));
            List<Map.Entry<String, Double>> top = new ArrayList<>(byService.entrySet());
            top.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
            JsonNode drivers = api.get("cost/drivers", window);
            String currency = drivers.path("currency").asText("USD");

            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "Plumb cost report, last %s (%s)%n", period, currency));
            out.append(String.format(Locale.ROOT, "Total %.2f, %s against the %s before (%.2f)%n%n",
                    drivers.path("currentTotal").asDouble(), signed(drivers.path("delta").asDouble()), period,
                    drivers.path("baselineTotal").asDouble()));
            out.append("Top services by cost:\n");
            for (int i = 0; i < Math.min(TOP, top.size()); i++) {
                out.append(String.format(Locale.ROOT, "  %d. %-28s %10.2f%n", i + 1, top.get(i).getKey(),
                        top.get(i).getValue()));
            }
            out.append("\nWhat changed:\n");
            JsonNode list = drivers.path("drivers");
            if (list.isEmpty()) {
                out.append("  nothing: cost is the same as the period before\n");
            }
            for (int i = 0; i < Math.min(TOP, list.size()); i++) {
                out.append("  - ").append(list.get(i).path("explanation").asText()).append('\n');
            }
            List<String[]> perRequest = new ArrayList<>();
            for (Map.Entry<String, Double> e : top) {
                Map<String, String> q = new LinkedHashMap<>(window);
                q.put("service", e.getKey());
                JsonNode b = api.get("cost/benchmark", q);
                if (b.hasNonNull("costPer1kRequests")) {
                    perRequest.add(new String[] {e.getKey(), String.format(Locale.ROOT,
                            "%.4f per 1,000 requests (rank %d of %d in %s)", b.path("costPer1kRequests").asDouble(),
                            b.path("rank").asInt(), b.path("of").asInt(), b.path("peerGroup").asText()),
                            String.valueOf(b.path("costPer1kRequests").asDouble())});
                }
            }
            perRequest.sort((a, b) -> Double.compare(Double.parseDouble(b[2]), Double.parseDouble(a[2])));
            out.append("\nCostliest per request:\n");
            if (perRequest.isEmpty()) {
                out.append("  no request counts in this period\n");
            }
            for (int i = 0; i < Math.min(TOP, perRequest.size()); i++) {
                out.append("  - ").append(perRequest.get(i)[0]).append(": ").append(perRequest.get(i)[1]).append('\n');
            }
            return out.toString();
        }

        /** Posts {@code {"text": report}}, the one field every Slack-compatible webhook accepts. */
        private void post(String report) throws IOException, InterruptedException {
            byte[] body = new ObjectMapper().writeValueAsBytes(Map.of("text", "```\n" + report + "```"));
            HttpResponse<String> answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                    HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() / 100 != 2) {
                throw new IOException("the webhook answered HTTP " + answer.statusCode() + ": " + answer.body());
            }
        }

        private static String signed(double v) {
            return String.format(Locale.ROOT, "%s%.2f", v >= 0 ? "+" : "", v);
        }
    }
}
