package dev.plumb.collector.alerts;

import dev.plumb.analytics.alerts.AlertSubscription;
import dev.plumb.collector.DurationText;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Subscriptions as a Prometheus rule file ({@code groups: - name: plumb-alerts}) over the
 * histogram the agent exports, {@code monitor_duration_seconds_bucket|_count} with labels
 * {@code code_function_name}, {@code outcome}, {@code error_type}. The agent's series carry no
 * service name, so the rules select the service by the scrape's {@code job} label: name the
 * scrape job after the service. The histogram counts every {@code @Monitor} call, where Plumb's
 * own evaluation counts entry spans; the two agree for services whose monitored methods do not
 * nest. {@code log_count} has no Prometheus metric and is written as a comment.
 */
final class RulesYaml {
    static final String METRIC = "monitor_duration_seconds";

    private RulesYaml() {
    }

    static String render(List<AlertSubscription> alerts) {
        StringBuilder y = new StringBuilder();
        y.append("# Plumb alert subscriptions as Prometheus alerting rules (GET /api/v1/alerts/rules.yaml).\n");
        y.append("# Series are selected by job=<service>: name each scrape job after its service.\n");
        y.append("groups:\n  - name: plumb-alerts\n    rules:");
        int written = 0;
        for (AlertSubscription a : alerts) {
            Signal signal = Signal.of(a.signal()).orElseThrow();
            if (signal == Signal.LOG_COUNT) {
                y.append("\n      # ").append(oneLine(a.name())).append(" (").append(a.id())
                        .append("): log_count has no Prometheus metric; Plumb evaluates it itself");
                continue;
            }
            written++;
            y.append("\n      - alert: ").append(alertName(a.name()));
            y.append("\n        expr: ").append(quote(expr(a, signal)));
            y.append("\n        for: ").append(DurationText.format(a.forDuration()));
            y.append("\n        labels:");
            y.append("\n          severity: ").append(quote(a.severity()));
            y.append("\n          service: ").append(quote(a.service()));
            y.append("\n          plumb_alert_id: ").append(quote(a.id()));
            y.append("\n        annotations:");
            y.append("\n          summary: ").append(quote(a.name() + ": " + a.signal() + " of " + a.service() + " "
                    + a.op() + " " + number(a.threshold()) + " " + signal.unit()));
            y.append("\n          value: ").append(quote("{{ $value }}"));
        }
        if (written == 0) {
            y.append(" []");
        }
        return y.append('\n').toString();
    }

    static String expr(AlertSubscription a, Signal signal) {
        String job = "job=\"" + a.service().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        String range = "[" + DurationText.format(a.window()) + "]";
        String all = "sum(rate(" + METRIC + "_count{" + job + "}" + range + "))";
        String value = switch (signal) {
            case ERROR_RATE -> "sum(rate(" + METRIC + "_count{" + job + ",outcome=\"error\"}" + range + ")) / " + all;
            case THROUGHPUT -> all;
            case LATENCY_P50, LATENCY_P95, LATENCY_P99 -> "histogram_quantile(" + number(signal.quantile())
                    + ", sum by (le) (rate(" + METRIC + "_bucket{" + job + "}" + range + "))) * 1000";
            case LOG_COUNT -> throw new IllegalArgumentException("log_count has no Prometheus expression");
        };
        return value + " " + a.op() + " " + number(a.threshold());
    }

    /** Prometheus wants an alert name that is a valid metric name; the original is in the summary. */
    static String alertName(String name) {
        String s = name.replaceAll("[^a-zA-Z0-9_:]+", "_").replaceAll("^_+|_+$", "");
        if (s.isEmpty() || !Character.isLetter(s.charAt(0)) && s.charAt(0) != '_' && s.charAt(0) != ':') {
            s = "Plumb_" + s;
        }
        return s;
    }

    private static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString().toLowerCase(Locale.ROOT);
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }

    /** A YAML single-quoted scalar: only the quote itself needs doubling. */
    private static String quote(String s) {
        return "'" + oneLine(s).replace("'", "''") + "'";
    }
}
