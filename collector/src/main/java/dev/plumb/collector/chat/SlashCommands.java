package dev.plumb.collector.chat;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.TimeRange;
import dev.plumb.analytics.alerts.AlertStore;
import dev.plumb.analytics.alerts.AlertSubscription;
import dev.plumb.analytics.cost.CostEngine;
import dev.plumb.analytics.cost.CostGroupBy;
import dev.plumb.analytics.cost.CostRow;
import dev.plumb.analytics.cost.CostStep;
import dev.plumb.analytics.red.RedPoint;
import dev.plumb.collector.DurationText;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The answers of {@code /plumb cost <service> [7d]} and {@code /plumb health <service>}, as the
 * Markdown-ish text Slack shows. Wrong usage answers the usage, since the person typing reads it.
 */
final class SlashCommands {
    static final String USAGE = "Usage: `/plumb cost <service> [7d]` (cost over a window, default 7d, and the change"
            + " from the window before) or `/plumb health <service>` (requests, errors and latency over the last 15m,"
            + " and alerts firing)";
    static final Duration HEALTH_WINDOW = Duration.ofMinutes(15);
    static final Duration MAX_COST_WINDOW = Duration.ofDays(90);

    private final Store store;
    private final CostEngine costs;
    private final AlertStore alerts;

    SlashCommands(Store store, CostEngine costs, AlertStore alerts) {
        this.store = store;
        this.costs = costs;
        this.alerts = alerts;
    }

    /** Answers the text after {@code /plumb}. Runs store queries: not on the event loop. */
    String answer(String text, Instant now) {
        String[] words = text == null ? new String[0] : text.trim().split("\\s+");
        if (words.length >= 2 && words[0].equalsIgnoreCase("cost") && words.length <= 3) {
            Duration window;
            try {
                window = words.length == 3 ? DurationText.parse(words[2]) : Duration.ofDays(7);
            } catch (IllegalArgumentException e) {
                return "`" + words[2] + "` is not a window; write it as 7d, 24h or 2w. " + USAGE;
            }
            if (window.compareTo(Duration.ofHours(1)) < 0 || window.compareTo(MAX_COST_WINDOW) > 0) {
                return "The cost window must be between 1h and 90d. " + USAGE;
            }
            return cost(words[1], window, words.length == 3 ? words[2] : "7d", now);
        }
        if (words.length == 2 && words[0].equalsIgnoreCase("health")) {
            return health(words[1], now);
        }
        return USAGE;
    }

    private String cost(String service, Duration window, String label, Instant now) {
        Instant end = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        TimeRange current = new TimeRange(end.minus(window), end);
        TimeRange previous = new TimeRange(end.minus(window).minus(window), end.minus(window));
        List<CostRow> rows = rows(service, current);
        List<CostRow> before = rows(service, previous);
        if (rows.isEmpty() && before.isEmpty()) {
            return "No cost is recorded for *" + service + "* in the last " + label
                    + ". Services with cost: " + String.join(", ", costs.services(current));
        }
        String currency = costs.pricing().currency();
        double total = rows.stream().mapToDouble(CostRow::total).sum();
        double beforeTotal = before.stream().mapToDouble(CostRow::total).sum();
        StringBuilder s = new StringBuilder();
        s.append("*").append(service).append("* cost ").append(money(total)).append(' ').append(currency)
                .append(" over the last ").append(label)
                .append(" (CPU ").append(money(rows.stream().mapToDouble(CostRow::cpu).sum()))
                .append(", memory ").append(money(rows.stream().mapToDouble(CostRow::memory).sum()))
                .append(", storage ").append(money(rows.stream().mapToDouble(CostRow::storage).sum()))
                .append(", network ").append(money(rows.stream().mapToDouble(CostRow::network).sum()))
                .append(").");
        if (beforeTotal > 0) {
            double change = (total - beforeTotal) / beforeTotal * 100;
            s.append(" The ").append(label).append(" before: ").append(money(beforeTotal))
                    .append(' ').append(currency).append(String.format(Locale.ROOT, " (%+.0f%%).", change));
        }
        return s.toString();
    }

    private List<CostRow> rows(String service, TimeRange range) {
        return costs.costs(CostGroupBy.SERVICE, range, CostStep.HOUR).stream()
                .filter(r -> service.equals(r.group())).toList();
    }

    private String health(String service, Instant now) {
        TimeRange range = new TimeRange(now.minus(HEALTH_WINDOW), now);
        boolean known = store.services(new TimeRange(Instant.EPOCH, now.plusSeconds(60))).stream()
                .anyMatch(s -> s.name().equals(service));
        if (!known) {
            return "*" + service + "* has never sent a span or a log to Plumb.";
        }
        List<RedPoint> points = store.red(service, range, HEALTH_WINDOW);
        RedPoint p = points.isEmpty() ? null : points.get(0);
        StringBuilder s = new StringBuilder("*").append(service).append("* over the last 15m: ");
        if (p == null || p.requests() == 0) {
            s.append("no requests.");
        } else {
            s.append(p.requests()).append(" requests, ").append(p.errors()).append(" errors (")
                    .append(String.format(Locale.ROOT, "%.2f%%", p.errorRate() * 100)).append("), latency p50 ")
                    .append(String.format(Locale.ROOT, "%.1f ms, p95 %.1f ms, p99 %.1f ms.", p.p50Ms(), p.p95Ms(), p.p99Ms()));
        }
        List<AlertSubscription> firing = alerts.list().stream()
                .filter(a -> a.service().equals(service) && alerts.status(a.id()).state().equals("firing")).toList();
        s.append(firing.isEmpty() ? " No alert firing." : " Firing: "
                + firing.stream().map(AlertSubscription::name).collect(Collectors.joining(", ")) + ".");
        return s.toString();
    }

    private static String money(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
