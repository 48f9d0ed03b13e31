package dev.plumb.collector.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The OTLP JSON encoding. It is protobuf's JSON mapping except that trace and span ids are hex
 * rather than base64, so ids are rewritten before protobuf's parser sees them; int64 as strings
 * or numbers, enums as numbers or names and both field spellings are protobuf's own rules.
 */
final class OtlpJson {
    private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId",
            "trace_id", "span_id", "parent_span_id");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private OtlpJson() {
    }

    /** Parses an OTLP JSON request body; a body that is not such a request is a {@link RefusedRequestException}. */
    static Message parse(Signal signal, byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw RefusedRequestException.malformed("body is not valid JSON: " + firstLine(e));
        }
        if (root == null || !root.isObject()) {
            throw RefusedRequestException.malformed("body must be a JSON object such as {\"resource"
                    + (signal == Signal.TRACES ? "Spans" : signal == Signal.LOGS ? "Logs" : "Metrics") + "\": [...]}");
        }
        rewriteIds(root);
        Message.Builder builder = signal.newRequest();
        try {
            PARSER.merge(MAPPER.writeValueAsString(root), builder);
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw RefusedRequestException.malformed("body is not an OTLP " + signal.label() + " request: " + firstLine(e));
        } catch (RuntimeException e) {
            // protobuf's JSON parser reports some type mismatches as unchecked exceptions
            throw RefusedRequestException.malformed("body is not an OTLP " + signal.label() + " request: " + firstLine(e));
        }
        return builder.build();
    }

    static String print(Message message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getName(), e);
        }
    }

    private static void rewriteIds(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (ID_FIELDS.contains(field.getKey()) && value.isTextual()) {
                    byte[] bytes = OtlpIds.parseHex(value.asText());
                    // Not hex: leave it, protobuf reads it as base64 or reports it as malformed.
                    if (bytes != null) {
                        field.setValue(new TextNode(Base64.getEncoder().encodeToString(bytes)));
                    }
                } else {
                    rewriteIds(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode item : array) {
                rewriteIds(item);
            }
        }
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
