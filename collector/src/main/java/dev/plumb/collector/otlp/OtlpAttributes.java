package dev.plumb.collector.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flattens OTLP attribute values into the plain Java values the store keeps: String, Long,
 * Double, Boolean, or a List of those. Nested key/value lists become dotted keys
 * ({@code http.request.header.x}) so that every leaf stays queryable by name.
 */
final class OtlpAttributes {
    static final String SERVICE_NAME = "service.name";
    static final String UNKNOWN_SERVICE = "unknown_service";

    private OtlpAttributes() {
    }

    static Map<String, Object> flatten(List<KeyValue> attributes) {
        if (attributes.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeyValue kv : attributes) {
            put(out, kv.getKey(), kv.getValue());
        }
        return out;
    }

    /** The service a resource belongs to; OTLP senders without one are grouped as {@code unknown_service}. */
    static String serviceOf(Map<String, Object> resource) {
        Object name = resource.get(SERVICE_NAME);
        return name instanceof String s && !s.isBlank() ? s : UNKNOWN_SERVICE;
    }

    /**
     * The resource's attributes as an immutable map: every row of the resource then shares this
     * one instance (the rows' {@code Map.copyOf} keeps it), so the store encodes it once per batch.
     */
    static Map<String, Object> resource(Resource resource) {
        return Map.copyOf(flatten(resource.getAttributesList()));
    }

    static void put(Map<String, Object> out, String key, AnyValue value) {
        if (key.isEmpty()) {
            return;
        }
        if (value.hasKvlistValue()) {
            for (KeyValue kv : value.getKvlistValue().getValuesList()) {
                put(out, key + "." + kv.getKey(), kv.getValue());
            }
            return;
        }
        Object plain = plain(value);
        if (plain != null) {
            out.put(key, plain);
        }
    }

    /** The value as a scalar or list; null when the value is empty. */
    static Object plain(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> value.getBoolValue();
            case INT_VALUE -> value.getIntValue();
            case DOUBLE_VALUE -> value.getDoubleValue();
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
            case ARRAY_VALUE -> {
                List<Object> items = new ArrayList<>(value.getArrayValue().getValuesCount());
                for (AnyValue item : value.getArrayValue().getValuesList()) {
                    Object p = item.hasKvlistValue() || item.hasArrayValue() ? text(item) : plain(item);
                    if (p != null) {
                        items.add(p);
                    }
                }
                yield List.copyOf(items);
            }
            case KVLIST_VALUE -> text(value);
            default -> null;
        };
    }

    /** A log body or nested value as text: strings as they are, structures in a JSON-like form. */
    static String text(AnyValue value) {
        StringBuilder sb = new StringBuilder();
        appendText(sb, value, false);
        return sb.toString();
    }

    private static void appendText(StringBuilder sb, AnyValue value, boolean quoted) {
        switch (value.getValueCase()) {
            case STRING_VALUE -> {
                if (quoted) {
                    sb.append('"').append(value.getStringValue().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                } else {
                    sb.append(value.getStringValue());
                }
            }
            case ARRAY_VALUE -> {
                sb.append('[');
                List<AnyValue> items = value.getArrayValue().getValuesList();
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    appendText(sb, items.get(i), true);
                }
                sb.append(']');
            }
            case KVLIST_VALUE -> {
                sb.append('{');
                List<KeyValue> kvs = value.getKvlistValue().getValuesList();
                for (int i = 0; i < kvs.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    sb.append('"').append(kvs.get(i).getKey()).append("\":");
                    appendText(sb, kvs.get(i).getValue(), true);
                }
                sb.append('}');
            }
            default -> {
                Object p = plain(value);
                sb.append(p == null ? (quoted ? "null" : "") : p);
            }
        }
    }
}
