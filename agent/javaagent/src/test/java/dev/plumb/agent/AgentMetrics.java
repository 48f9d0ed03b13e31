package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads monitor.duration counts from the agent's Prometheus endpoint, as a scraper would. */
final class AgentMetrics {

    private final String text;

    private AgentMetrics(String text) {
        this.text = text;
    }

    static AgentMetrics scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new AgentMetrics(response.body());
    }

    /** The {@code _count} of one series, or -1 when the series does not exist. */
    long count(String function, String outcome, String errorType) {
        Matcher matcher = Pattern.compile("(?m)^monitor_duration_seconds_count\\{code_function_name=\""
                + Pattern.quote(function) + "\",error_type=\"" + Pattern.quote(errorType) + "\",outcome=\""
                + outcome + "\"} (\\d+)").matcher(text);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    /** How many series the method has, whatever their labels. */
    long seriesOf(String function) {
        return text.lines()
                .filter(line -> line.startsWith("monitor_duration_seconds_count{code_function_name=\"" + function + "\""))
                .count();
    }

    @Override
    public String toString() {
        return text;
    }
}
