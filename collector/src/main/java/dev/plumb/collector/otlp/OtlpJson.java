package dev.plumb.collector.otlp;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Base64;
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
        // Traces are most of the volume: they are read in one pass, without JsonFormat (see OtlpTraceJson).
        return signal == Signal.TRACES ? OtlpTraceJson.parse(body) : parseWithJsonFormat(signal, body);
    }

    /** Parses through protobuf's {@code JsonFormat}, after rewriting hex ids to base64. */
    static Message parseWithJsonFormat(Signal signal, byte[] body) {
        String protobufJson;
        try {
            protobufJson = withBase64Ids(signal, body);
        } catch (IOException e) {
            throw RefusedRequestException.malformed("body is not valid JSON: " + firstLine(e));
        }
        Message.Builder builder = signal.newRequest();
        try {
            PARSER.merge(protobufJson, builder);
        } catch (InvalidProtocolBufferException e) {
            throw RefusedRequestException.malformed("body is not an OTLP " + signal.label() + " request: " + firstLine(e));
        } catch (RuntimeException e) {
            // protobuf's JSON parser reports some type mismatches as unchecked exceptions
            throw RefusedRequestException.malformed("body is not an OTLP " + signal.label() + " request: " + firstLine(e));
        }
        return builder.build();
    }

    /**
     * Copies the body token by token, rewriting hex ids to the base64 protobuf's parser expects.
     * One streaming pass: no tree of the body is built and then printed again.
     */
    private static String withBase64Ids(Signal signal, byte[] body) throws IOException {
        StringWriter out = new StringWriter(body.length + body.length / 8);
        try (JsonParser in = MAPPER.getFactory().createParser(body);
             JsonGenerator gen = MAPPER.getFactory().createGenerator(out)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw RefusedRequestException.malformed("body must be a JSON object such as {\"resource"
                        + (signal == Signal.TRACES ? "Spans" : signal == Signal.LOGS ? "Logs" : "Metrics") + "\": [...]}");
            }
            gen.writeStartObject();
            int depth = 1;
            while (depth > 0) {
                JsonToken token = in.nextToken();
                if (token == null) {
                    throw new JsonParseException(in, "unexpected end of input");
                }
                if (token == JsonToken.FIELD_NAME && ID_FIELDS.contains(in.currentName())) {
                    gen.writeFieldName(in.currentName());
                    if (in.nextToken() == JsonToken.VALUE_STRING) {
                        String text = in.getText();
                        byte[] bytes = OtlpIds.parseHex(text);
                        // Not hex: leave it, protobuf reads it as base64 or reports it as malformed.
                        gen.writeString(bytes == null ? text : Base64.getEncoder().encodeToString(bytes));
                    } else {
                        gen.copyCurrentStructure(in);
                    }
                    continue;
                }
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    depth++;
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    depth--;
                }
                gen.copyCurrentEvent(in);
            }
        }
        return out.toString();
    }

    static String print(Message message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getName(), e);
        }
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
