package dev.plumb.collector.alerts;

import dev.plumb.analytics.alerts.AlertChannel;
import dev.plumb.collector.DurationText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body each channel type expects: Plumb's own JSON for a webhook, Slack's
 * {@code {"text", "blocks"}} for an incoming webhook, and Alertmanager's API v2 list of alerts.
 */
final class Payloads {
    private Payloads() {
    }

    static Object body(AlertChannel channel, Notification n) {
        return switch (channel.type()) {
            case "slack" -> slack(n);
            case "alertmanager" -> alertmanager(n);
            default -> webhook(n);
        };
    }

    /** Where to POST: Alertmanager's {@code /api/v2/alerts} below the URL given, unless it names it. */
    static String target(AlertChannel channel) {
        if (!channel.type().equals("alertmanager") || channel.url().endsWith("/api/v2/alerts")) {
            return channel.url();
        }
        return channel.url().replaceAll("/+$", "") + "/api/v2/alerts";
    }

    static Map<String, Object> webhook(Notification n) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", n.resolved() ? "resolved" : "firing");
        body.put("repeat", n.kind() == Notification.Kind.REPEAT);
        body.put("summary", n.summary());
        body.put("value", n.value());
        body.put("startsAt", n.startsAt().toString());
        if (n.resolved()) {
            body.put("endsAt", n.at().toString());
        }
        body.put("generatorURL", n.generatorUrl());
        body.put("alert", AlertJson.subscription(n.alert()));
        return body;
    }

    static Map<String, Object> slack(Notification n) {
        String emoji = n.resolved() ? ":white_check_mark:" : ":rotating_light:";
        String text = emoji + " " + n.summary();
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("type", "section");
        section.put("text", Map.of("type", "mrkdwn", "text", text + "\n<" + n.generatorUrl() + "|subscription>"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text);
        body.put("blocks", List.of(section));
        return body;
    }

    static List<Map<String, Object>> alertmanager(Notification n) {
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("alertname", n.alert().name());
        labels.put("service", n.alert().service());
        labels.put("severity", n.alert().severity());
        labels.put("plumb_alert_id", n.alert().id());
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put("summary", n.summary());
        annotations.put("description", n.alert().signal() + " " + n.alert().op() + " "
                + Notification.format(n.alert().threshold()) + " over " + DurationText.format(n.alert().window())
                + " for " + DurationText.format(n.alert().forDuration()));
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("labels", labels);
        alert.put("annotations", annotations);
        alert.put("startsAt", n.startsAt().toString());
        if (n.resolved()) {
            alert.put("endsAt", n.at().toString());
        }
        alert.put("generatorURL", n.generatorUrl());
        return List.of(alert);
    }
}
