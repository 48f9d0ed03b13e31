package dev.plumb.collector.cost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.analytics.cost.ResourceDeclaration;
import dev.plumb.collector.api.ApiException;
import dev.plumb.collector.api.ApiJson;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /api/v1/cost/declarations}:
 * {@code {"services":[{"service","namespace","team","replicas","cpuCores","memoryGiB","storageGiB","effectiveFrom"}]}}.
 * {@code service}, {@code replicas}, {@code cpuCores} and {@code memoryGiB} are required;
 * {@code namespace} defaults to {@code default}, {@code team} to the namespace's team,
 * {@code storageGiB} to 0 and {@code effectiveFrom} (RFC 3339) to the time of the request. Any
 * other field, or a value of the wrong type or below zero, is a 400 naming the field, such as
 * {@code services[1].replicas}; so are more than {@value #MAX_REPLICAS} replicas and an
 * {@code effectiveFrom} more than {@link #OLDEST} before the request or {@link #FURTHEST_AHEAD}
 * after it, since the cost engine writes an hourly sample per replica from that time on.
 */
final class DeclarationRequest {
    /** More replicas than any one service runs; a typo or a unit mix-up, not a deployment. */
    static final int MAX_REPLICAS = 10_000;
    /** How far back a declaration may start: a little over a year, the longest cost window people ask about. */
    static final Duration OLDEST = Duration.ofDays(400);
    /** How far ahead a declaration may start: the deploy adapter sends the apply time, so this is clock skew. */
    static final Duration FURTHEST_AHEAD = Duration.ofDays(1);
    private static final Set<String> FIELDS = Set.of("service", "namespace", "team", "replicas", "cpuCores", "memoryGiB",
            "storageGiB", "effectiveFrom");
    private static final String EXAMPLE = "{\"services\":[{\"service\":\"payment-service\",\"namespace\":\"default\","
            + "\"team\":\"payments\",\"replicas\":3,\"cpuCores\":0.5,\"memoryGiB\":0.5,\"storageGiB\":0,"
            + "\"effectiveFrom\":\"2026-11-26T15:00:00Z\"}]}";

    private DeclarationRequest() {
    }

    /** The declarations of {@code body}, received at {@code now}. */
    static List<ResourceDeclaration> parse(byte[] body, Instant now) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : ApiJson.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "the body is not JSON: " + e.getOriginalMessage(), EXAMPLE);
        } catch (IOException e) {
            throw ApiException.badRequest("body", "cannot read the body: " + e.getMessage(), EXAMPLE);
        }
        if (root == null || !root.isObject() || !root.path("services").isArray()) {
            throw ApiException.badRequest("services", "the body needs a 'services' array of declarations", EXAMPLE);
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("services")) {
                throw ApiException.badRequest(name, "unknown field '" + name + "'", EXAMPLE);
            }
        }
        List<ResourceDeclaration> out = new ArrayList<>();
        JsonNode services = root.get("services");
        for (int i = 0; i < services.size(); i++) {
            out.add(declaration(services.get(i), "services[" + i + "]", now));
        }
        if (out.isEmpty()) {
            throw ApiException.badRequest("services", "'services' is empty: declare at least one service", EXAMPLE);
        }
        return out;
    }

    private static ResourceDeclaration declaration(JsonNode node, String at, Instant now) {
        if (!node.isObject()) {
            throw ApiException.badRequest(at, at + " is not an object", EXAMPLE);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest(at + "." + name, "unknown field '" + name + "'; the fields are "
                        + String.join(", ", FIELDS.stream().sorted().toList()), EXAMPLE);
            }
        }
        String service = text(node, at, "service", null);
        if (service == null) {
            throw ApiException.badRequest(at + ".service", at + ".service is missing", "name the service, as in " + EXAMPLE);
        }
        JsonNode replicas = node.get("replicas");
        if (replicas == null || !replicas.canConvertToInt() || !replicas.isIntegralNumber() || replicas.intValue() < 0) {
            throw ApiException.badRequest(at + ".replicas", at + ".replicas must be a whole number >= 0 (0 ends the"
                    + " declaration)", "for example \"replicas\":3");
        }
        if (replicas.intValue() > MAX_REPLICAS) {
            throw ApiException.badRequest(at + ".replicas", at + ".replicas " + replicas.intValue() + " is more than "
                    + MAX_REPLICAS + ", the most a declaration may hold", "declare the pods that run, at most " + MAX_REPLICAS);
        }
        return new ResourceDeclaration(service, text(node, at, "namespace", "default"), text(node, at, "team", null),
                replicas.intValue(), number(node, at, "cpuCores", null), number(node, at, "memoryGiB", null),
                number(node, at, "storageGiB", 0.0), time(node, at, now));
    }

    private static String text(JsonNode node, String at, String field, String absent) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw ApiException.badRequest(at + "." + field, at + "." + field + " must be a non-empty string",
                    "for example \"" + field + "\":\"default\"");
        }
        return v.asText().trim();
    }

    private static double number(JsonNode node, String at, String field, Double absent) {
        JsonNode v = node.get(field);
        if ((v == null || v.isNull()) && absent != null) {
            return absent;
        }
        if (v == null || !v.isNumber() || v.doubleValue() < 0 || !Double.isFinite(v.doubleValue())) {
            throw ApiException.badRequest(at + "." + field, at + "." + field + (v == null ? " is missing" : " must be a"
                    + " number >= 0"), "per replica, for example \"" + field + "\":0.5");
        }
        return v.doubleValue();
    }

    private static Instant time(JsonNode node, String at, Instant now) {
        JsonNode v = node.get("effectiveFrom");
        if (v == null || v.isNull()) {
            return now;
        }
        Instant from;
        try {
            from = OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(at + ".effectiveFrom", at + ".effectiveFrom '" + v.asText()
                    + "' is not an RFC 3339 time", "for example \"effectiveFrom\":\"2026-11-26T15:00:00Z\"");
        }
        if (from.isBefore(now.minus(OLDEST)) || from.isAfter(now.plus(FURTHEST_AHEAD))) {
            boolean old = from.isBefore(now);
            throw ApiException.badRequest(at + ".effectiveFrom", at + ".effectiveFrom " + v.asText() + " is more than "
                    + (old ? OLDEST.toDays() + " days before" : FURTHEST_AHEAD.toHours() + " hours after") + " the request",
                    "give a time from " + now.minus(OLDEST).truncatedTo(ChronoUnit.SECONDS) + " to "
                            + now.plus(FURTHEST_AHEAD).truncatedTo(ChronoUnit.SECONDS) + ", or leave it out for now");
        }
        return from;
    }
}
