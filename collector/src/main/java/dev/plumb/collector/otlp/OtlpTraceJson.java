package dev.plumb.collector.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.util.Base64;

/**
 * OTLP JSON trace exports read in one streaming pass straight into the protobuf request, the
 * busiest path of the collector. It follows protobuf's JSON mapping as {@link OtlpJson} does
 * (both field spellings, int64 as string or number, enums as number or name, unknown fields
 * skipped, null as absent) with OTLP's hex ids, but without the text copy and the reflective
 * parse of {@code JsonFormat}. Anything else is a {@link RefusedRequestException}.
 */
final class OtlpTraceJson {
    private static final JsonFactory JSON = new JsonFactory();

    private final JsonParser in;

    private OtlpTraceJson(JsonParser in) {
        this.in = in;
    }

    /** Reads the export request; {@code body} must hold exactly one JSON object. */
    static ExportTraceServiceRequest parse(byte[] body) {
        try (JsonParser in = JSON.createParser(body)) {
            OtlpTraceJson reader = new OtlpTraceJson(in);
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw RefusedRequestException.malformed("body must be a JSON object such as {\"resourceSpans\": [...]}");
            }
            ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
            reader.object(name -> {
                if (is(name, "resourceSpans", "resource_spans")) {
                    reader.array(() -> request.addResourceSpans(reader.resourceSpans()));
                    return true;
                }
                return false;
            });
            if (in.nextToken() != null) {
                throw malformed("more after the request object");
            }
            return request.build();
        } catch (IOException e) {
            throw RefusedRequestException.malformed("body is not valid JSON: " + firstLine(e));
        }
    }

    /** Handles one field of an object; false to skip it. */
    @FunctionalInterface
    private interface Field {
        boolean read(String name) throws IOException;
    }

    @FunctionalInterface
    private interface Item {
        void read() throws IOException;
    }

    private static boolean is(String name, String camel, String snake) {
        return name.equals(camel) || name.equals(snake);
    }

    private static RefusedRequestException malformed(String why) {
        return RefusedRequestException.malformed("body is not an OTLP traces request: " + why);
    }

    /** Reads the object the parser is at (its START_OBJECT read already), or a null as absent. */
    private void object(Field field) throws IOException {
        if (in.currentToken() == JsonToken.VALUE_NULL) {
            return;
        }
        if (in.currentToken() != JsonToken.START_OBJECT) {
            throw malformed("expected an object at " + where());
        }
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            in.nextToken();
            if (in.currentToken() == JsonToken.VALUE_NULL || !field.read(name)) {
                in.skipChildren();
            }
        }
        if (in.currentToken() != JsonToken.END_OBJECT) {
            throw malformed("unexpected end of input");
        }
    }

    private void array(Item item) throws IOException {
        if (in.currentToken() != JsonToken.START_ARRAY) {
            throw malformed("expected an array at " + where());
        }
        JsonToken t;
        while ((t = in.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw malformed("unexpected end of input");
            }
            item.read();
        }
    }

    private String where() {
        String name = in.getParsingContext().getCurrentName();
        return (name == null ? "" : "'" + name + "' ") + "(line " + in.currentLocation().getLineNr() + ", column "
                + in.currentLocation().getColumnNr() + ")";
    }

    private ResourceSpans resourceSpans() throws IOException {
        ResourceSpans.Builder rs = ResourceSpans.newBuilder();
        object(name -> {
            if (name.equals("resource")) {
                rs.setResource(resource());
            } else if (is(name, "scopeSpans", "scope_spans")) {
                array(() -> rs.addScopeSpans(scopeSpans()));
            } else if (is(name, "schemaUrl", "schema_url")) {
                rs.setSchemaUrl(text());
            } else {
                return false;
            }
            return true;
        });
        return rs.build();
    }

    private Resource resource() throws IOException {
        Resource.Builder r = Resource.newBuilder();
        object(name -> {
            if (name.equals("attributes")) {
                array(() -> r.addAttributes(keyValue()));
            } else if (is(name, "droppedAttributesCount", "dropped_attributes_count")) {
                r.setDroppedAttributesCount((int) integer());
            } else {
                return false;
            }
            return true;
        });
        return r.build();
    }

    private ScopeSpans scopeSpans() throws IOException {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        object(name -> {
            if (name.equals("scope")) {
                InstrumentationScope.Builder scope = InstrumentationScope.newBuilder();
                object(n -> {
                    if (n.equals("name")) {
                        scope.setName(text());
                    } else if (n.equals("version")) {
                        scope.setVersion(text());
                    } else if (n.equals("attributes")) {
                        array(() -> scope.addAttributes(keyValue()));
                    } else {
                        return false;
                    }
                    return true;
                });
                ss.setScope(scope);
            } else if (name.equals("spans")) {
                array(() -> ss.addSpans(span()));
            } else if (is(name, "schemaUrl", "schema_url")) {
                ss.setSchemaUrl(text());
            } else {
                return false;
            }
            return true;
        });
        return ss.build();
    }

    private Span span() throws IOException {
        Span.Builder s = Span.newBuilder();
        object(name -> {
            switch (name) {
                case "traceId", "trace_id" -> s.setTraceId(id());
                case "spanId", "span_id" -> s.setSpanId(id());
                case "parentSpanId", "parent_span_id" -> s.setParentSpanId(id());
                case "traceState", "trace_state" -> s.setTraceState(text());
                case "flags" -> s.setFlags((int) integer());
                case "name" -> s.setName(text());
                case "kind" -> s.setKindValue(enumNumber(Span.SpanKind.class));
                case "startTimeUnixNano", "start_time_unix_nano" -> s.setStartTimeUnixNano(integer());
                case "endTimeUnixNano", "end_time_unix_nano" -> s.setEndTimeUnixNano(integer());
                case "attributes" -> array(() -> s.addAttributes(keyValue()));
                case "droppedAttributesCount", "dropped_attributes_count" -> s.setDroppedAttributesCount((int) integer());
                case "events" -> array(() -> s.addEvents(event()));
                case "droppedEventsCount", "dropped_events_count" -> s.setDroppedEventsCount((int) integer());
                case "links" -> array(() -> s.addLinks(link()));
                case "droppedLinksCount", "dropped_links_count" -> s.setDroppedLinksCount((int) integer());
                case "status" -> s.setStatus(status());
                default -> {
                    return false;
                }
            }
            return true;
        });
        return s.build();
    }

    private Span.Event event() throws IOException {
        Span.Event.Builder e = Span.Event.newBuilder();
        object(name -> {
            switch (name) {
                case "timeUnixNano", "time_unix_nano" -> e.setTimeUnixNano(integer());
                case "name" -> e.setName(text());
                case "attributes" -> array(() -> e.addAttributes(keyValue()));
                case "droppedAttributesCount", "dropped_attributes_count" -> e.setDroppedAttributesCount((int) integer());
                default -> {
                    return false;
                }
            }
            return true;
        });
        return e.build();
    }

    private Span.Link link() throws IOException {
        Span.Link.Builder l = Span.Link.newBuilder();
        object(name -> {
            switch (name) {
                case "traceId", "trace_id" -> l.setTraceId(id());
                case "spanId", "span_id" -> l.setSpanId(id());
                case "traceState", "trace_state" -> l.setTraceState(text());
                case "flags" -> l.setFlags((int) integer());
                case "attributes" -> array(() -> l.addAttributes(keyValue()));
                case "droppedAttributesCount", "dropped_attributes_count" -> l.setDroppedAttributesCount((int) integer());
                default -> {
                    return false;
                }
            }
            return true;
        });
        return l.build();
    }

    private Status status() throws IOException {
        Status.Builder st = Status.newBuilder();
        object(name -> {
            if (name.equals("message")) {
                st.setMessage(text());
            } else if (name.equals("code")) {
                st.setCodeValue(enumNumber(Status.StatusCode.class));
            } else {
                return false;
            }
            return true;
        });
        return st.build();
    }

    private KeyValue keyValue() throws IOException {
        KeyValue.Builder kv = KeyValue.newBuilder();
        object(name -> {
            if (name.equals("key")) {
                kv.setKey(text());
            } else if (name.equals("value")) {
                kv.setValue(anyValue());
            } else {
                return false;
            }
            return true;
        });
        return kv.build();
    }

    private AnyValue anyValue() throws IOException {
        AnyValue.Builder v = AnyValue.newBuilder();
        object(name -> {
            switch (name) {
                case "stringValue", "string_value" -> v.setStringValue(text());
                case "boolValue", "bool_value" -> v.setBoolValue(bool());
                case "intValue", "int_value" -> v.setIntValue(integer());
                case "doubleValue", "double_value" -> v.setDoubleValue(number());
                case "bytesValue", "bytes_value" -> v.setBytesValue(base64(text()));
                case "arrayValue", "array_value" -> {
                    ArrayValue.Builder a = ArrayValue.newBuilder();
                    object(n -> {
                        if (n.equals("values")) {
                            array(() -> a.addValues(anyValue()));
                            return true;
                        }
                        return false;
                    });
                    v.setArrayValue(a);
                }
                case "kvlistValue", "kvlist_value" -> {
                    KeyValueList.Builder l = KeyValueList.newBuilder();
                    object(n -> {
                        if (n.equals("values")) {
                            array(() -> l.addValues(keyValue()));
                            return true;
                        }
                        return false;
                    });
                    v.setKvlistValue(l);
                }
                default -> {
                    return false;
                }
            }
            return true;
        });
        return v.build();
    }

    /** A string field; like protobuf's parser, a number or boolean there is taken as its text. */
    private String text() throws IOException {
        if (!in.currentToken().isScalarValue()) {
            throw malformed("expected a string at " + where());
        }
        return in.getText();
    }

    private boolean bool() throws IOException {
        JsonToken t = in.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        throw malformed("expected true or false at " + where());
    }

    /** An int64 or uint64 as protobuf's JSON mapping allows: a number, or a decimal string. */
    private long integer() throws IOException {
        JsonToken t = in.currentToken();
        try {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                if (in.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    return in.getLongValue();
                }
                java.math.BigInteger big = in.getBigIntegerValue();
                // a uint64 fills 64 bits; anything wider would wrap silently
                if (big.bitLength() > (big.signum() < 0 ? 63 : 64)) {
                    throw malformed("integer out of the 64-bit range at " + where() + ": " + big);
                }
                return big.longValue();
            }
            if (t == JsonToken.VALUE_STRING) {
                String s = in.getText().trim();
                return s.startsWith("-") ? Long.parseLong(s) : Long.parseUnsignedLong(s);
            }
            if (t == JsonToken.VALUE_NUMBER_FLOAT && in.getDoubleValue() == Math.rint(in.getDoubleValue())) {
                return (long) in.getDoubleValue();
            }
        } catch (NumberFormatException e) {
            throw malformed("expected an integer at " + where() + ", got '" + in.getText() + "'");
        }
        throw malformed("expected an integer at " + where());
    }

    private double number() throws IOException {
        JsonToken t = in.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return in.getDoubleValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = in.getText();
            switch (s) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> {
                    try {
                        return Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        throw malformed("expected a number at " + where() + ", got '" + s + "'");
                    }
                }
            }
        }
        throw malformed("expected a number at " + where());
    }

    /** An enum as its number or its protobuf name ({@code SPAN_KIND_SERVER}); an unknown name is 0. */
    private <E extends Enum<E> & com.google.protobuf.ProtocolMessageEnum> int enumNumber(Class<E> type) throws IOException {
        JsonToken t = in.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return in.getIntValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = in.getText();
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(s) && !e.name().equals("UNRECOGNIZED")) {
                    return e.getNumber();
                }
            }
            // Unknown names read as the default, as protobuf's parser does when it ignores unknown fields.
            return 0;
        }
        throw malformed("expected an enum number or name at " + where());
    }

    /** A trace or span id: OTLP's hex, or base64 as protobuf's own mapping has it. */
    private ByteString id() throws IOException {
        String s = text();
        byte[] hex = OtlpIds.parseHex(s);
        return hex != null ? ByteString.copyFrom(hex) : base64(s);
    }

    private ByteString base64(String s) {
        try {
            return ByteString.copyFrom(Base64.getDecoder().decode(s));
        } catch (IllegalArgumentException e) {
            try {
                return ByteString.copyFrom(Base64.getUrlDecoder().decode(s));
            } catch (IllegalArgumentException notUrl) {
                throw malformed("'" + s + "' at " + where() + " is neither hex nor base64");
            }
        }
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
