package dev.plumb.collector.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.analytics.alerts.AlertChannel;
import dev.plumb.analytics.alerts.AlertSubscription;
import dev.plumb.collector.DurationText;
import dev.plumb.collector.api.ApiException;
import dev.plumb.collector.api.ApiJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The body of {@code POST /api/v1/alerts} read into a subscription; anything missing or of the
 * wrong form is a 400 naming the field. Whether the platform accepts the subscription is
 * {@link Guardrails}' decision, not this class's.
 */
final class AlertRequest {
    static final Set<String> CHANNEL_TYPES = Set.of("webhook", "slack", "alertmanager");
    static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    private AlertRequest() {
    }

    static AlertSubscription parse(byte[] body, Instant now) {
        JsonNode root;
        try {
            root = ApiJson.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "the body is not JSON: " + e.getOriginalMessage(),
                    "send a JSON object such as {\"name\":\"checkout errors\",\"service\":\"checkout\","
                            + "\"signal\":\"error_rate\",\"op\":\">\",\"threshold\":0.05,\"window\":\"5m\",\"for\":\"5m\","
                            + "\"channels\":[{\"type\":\"webhook\",\"url\":\"https://example.org/hook\"}]}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("body", "the body must be a JSON object", "send the subscription's fields");
        }
        String name = text(root, "name");
        String service = text(root, "service");
        String signal = text(root, "signal");
        String op = text(root, "op");
        if (Comparison.of(op).isEmpty()) {
            throw ApiException.badRequest("op", "op '" + op + "' is not an operator", "use one of >, >=, <, <=");
        }
        JsonNode threshold = root.get("threshold");
        if (threshold == null || !threshold.isNumber() || !Double.isFinite(threshold.asDouble())) {
            throw ApiException.badRequest("threshold", "threshold must be a number",
                    "for example 0.05 for error_rate, 300 (ms) for latency_p95");
        }
        Duration window = duration(root, "window");
        Duration forDuration = duration(root, "for");
        String query = root.hasNonNull("query") ? text(root, "query") : null;
        String severity = root.hasNonNull("severity") ? text(root, "severity") : "warning";
        if (!SEVERITIES.contains(severity)) {
            throw ApiException.badRequest("severity", "severity '" + severity + "' is not known",
                    "use critical, warning or info (default warning)");
        }
        return new AlertSubscription(UUID.randomUUID().toString(), name, service, signal, op, severity,
                threshold.asDouble(), window, forDuration, query, channels(root.get("channels")), now);
    }

    private static List<AlertChannel> channels(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiException.badRequest("channels", "channels must be a non-empty list",
                    "add {\"type\":\"webhook\"|\"slack\"|\"alertmanager\",\"url\":\"https://...\"}");
        }
        List<AlertChannel> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode c = node.get(i);
            String field = "channels[" + i + "]";
            if (!c.isObject()) {
                throw ApiException.badRequest(field, field + " must be an object with type and url", null);
            }
            String type = text(c, "type", field + ".type");
            if (!CHANNEL_TYPES.contains(type)) {
                throw ApiException.badRequest(field + ".type", "channel type '" + type + "' is not known",
                        "use webhook, slack or alertmanager");
            }
            String url = text(c, "url", field + ".url");
            if (!isHttpUrl(url)) {
                throw ApiException.badRequest(field + ".url", "'" + url + "' is not an http(s) URL",
                        "write an absolute URL such as https://hooks.example.org/plumb");
            }
            out.add(new AlertChannel(type, url));
        }
        return out;
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Duration duration(JsonNode root, String field) {
        String raw = text(root, field);
        try {
            return DurationText.parse(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field, field + ": " + e.getMessage(), "for example \"5m\"");
        }
    }

    private static String text(JsonNode node, String field) {
        return text(node, field, field);
    }

    private static String text(JsonNode node, String key, String field) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw ApiException.badRequest(field, field + " is missing", "add \"" + key + "\" to the body");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw ApiException.badRequest(field, field + " must be a non-empty string", null);
        }
        return v.asText().trim();
    }
}
