package dev.plumb.collector.alerts;

import dev.plumb.analytics.alerts.AlertChannel;
import dev.plumb.analytics.alerts.AlertEvent;
import dev.plumb.analytics.alerts.AlertStatus;
import dev.plumb.analytics.alerts.AlertSubscription;
import dev.plumb.collector.DurationText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Subscriptions and events as the API writes them: the fields users send, plus id and status. */
final class AlertJson {
    private AlertJson() {
    }

    static Map<String, Object> subscription(AlertSubscription a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("name", a.name());
        m.put("service", a.service());
        m.put("signal", a.signal());
        m.put("op", a.op());
        m.put("threshold", a.threshold());
        m.put("window", DurationText.format(a.window()));
        m.put("for", DurationText.format(a.forDuration()));
        if (a.query() != null) {
            m.put("query", a.query());
        }
        m.put("severity", a.severity());
        List<Map<String, String>> channels = a.channels().stream()
                .map((AlertChannel c) -> Map.of("type", c.type(), "url", c.url())).toList();
        m.put("channels", channels);
        m.put("createdAt", a.createdAt().toString());
        return m;
    }

    static Map<String, Object> withStatus(AlertSubscription a, AlertStatus s) {
        Map<String, Object> m = subscription(a);
        m.put("state", s.state());
        m.put("stateSince", s.since() == null ? null : s.since().toString());
        m.put("value", s.value());
        return m;
    }

    static Map<String, Object> event(AlertEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", e.at().toString());
        m.put("state", e.state());
        m.put("value", e.value());
        m.put("message", e.message());
        return m;
    }
}
