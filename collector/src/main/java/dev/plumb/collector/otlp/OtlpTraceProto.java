package dev.plumb.collector.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.plumb.analytics.telemetry.SpanEvent;
import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanLink;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP protobuf trace exports read straight from the wire format into span rows, the busiest
 * path of the collector. Parsing into the generated {@code ExportTraceServiceRequest} first
 * built a builder and a message for every span, attribute and value, and a {@code ByteString}
 * for every id, which was most of what the collector allocated per span.
 *
 * <p>It answers exactly what {@link SpanDecoder#decode} answers for the parsed request (and
 * {@code OtlpTraceProtoTest} checks that on generated requests): fields in any order, a
 * repeated singular field's last value, repeated messages merged as protobuf merges them,
 * unknown fields and fields of an unexpected wire type skipped, strings refused unless UTF-8.
 * What comes once per many spans (a resource, a scope) and what is rare (attribute values that
 * are arrays or key/value lists, a key/value whose value comes in several parts) is parsed by
 * the generated classes and flattened by {@link OtlpAttributes}, so the two paths share it.
 */
final class OtlpTraceProto {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int START_GROUP = 3;
    private static final int END_GROUP = 4;
    private static final int FIXED32 = 5;
    /** How deep protobuf lets messages (and so groups) nest. */
    private static final int MAX_DEPTH = 100;

    private final byte[] buf;
    private int pos;
    private final List<SpanRow> rows = new ArrayList<>();
    private final Rejections rejections = new Rejections();

    private OtlpTraceProto(byte[] buf) {
        this.buf = buf;
    }

    /** Decodes a whole {@code ExportTraceServiceRequest}. */
    static Decoded decode(byte[] body) throws InvalidProtocolBufferException {
        OtlpTraceProto reader = new OtlpTraceProto(body);
        int end = body.length;
        while (reader.pos < end) {
            int tag = reader.tag(end);
            if (tag == field(1, LENGTH_DELIMITED)) {
                reader.resourceSpans(reader.lengthEnd(end));
            } else {
                reader.skip(tag, end);
            }
        }
        return new Decoded(TelemetryBatch.ofSpans(reader.rows), reader.rejections.count(), reader.rejections.message());
    }

    private static int field(int number, int wireType) {
        return number << 3 | wireType;
    }

    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
    // and ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }:
    // the resource or scope may come after the spans, so it is read first, in a pass of its own.
    // They are one per many spans: the generated classes read them, merging repeats as protobuf does.
    private void resourceSpans(int end) throws InvalidProtocolBufferException {
        int start = pos;
        Resource.Builder resourceMessage = Resource.newBuilder();
        header(end, resourceMessage);
        // One immutable map that every row of the resource shares.
        Map<String, Object> resource = OtlpAttributes.resource(resourceMessage.build());
        String service = OtlpAttributes.serviceOf(resource);
        pos = start;
        while (pos < end) {
            int tag = tag(end);
            if (tag == field(2, LENGTH_DELIMITED)) {
                scopeSpans(lengthEnd(end), service, resource);
            } else {
                skip(tag, end);
            }
        }
    }

    private void scopeSpans(int end, String service, Map<String, Object> resource) throws InvalidProtocolBufferException {
        int start = pos;
        InstrumentationScope.Builder scope = InstrumentationScope.newBuilder();
        header(end, scope);
        String scopeName = scope.getName();
        pos = start;
        while (pos < end) {
            int tag = tag(end);
            if (tag == field(2, LENGTH_DELIMITED)) {
                span(lengthEnd(end), service, resource, scopeName);
            } else {
                skip(tag, end);
            }
        }
    }

    /** The first pass over a ResourceSpans or ScopeSpans: every field 1 merged into {@code header}, up to {@code end}. */
    private void header(int end, Message.Builder header) throws InvalidProtocolBufferException {
        while (pos < end) {
            int tag = tag(end);
            if (tag == field(1, LENGTH_DELIMITED)) {
                int e = lengthEnd(end);
                header.mergeFrom(buf, pos, e - pos);
                pos = e;
            } else if (tag == field(3, LENGTH_DELIMITED)) {
                string(end); // schema_url: not kept, but it must be UTF-8
            } else {
                skip(tag, end);
            }
        }
    }

    /** Where an id field's bytes are: its offset and length in {@link #buf}. */
    private record Id(int from, int length) {
        private static final Id EMPTY = new Id(0, 0);
    }

    private void span(int end, String service, Map<String, Object> resource, String scope)
            throws InvalidProtocolBufferException {
        Id traceId = Id.EMPTY;
        Id spanId = Id.EMPTY;
        Id parentId = Id.EMPTY;
        String name = "";
        int kind = 0;
        long startNanos = 0;
        long endNanos = 0;
        int statusCode = 0;
        String statusMessage = "";
        Map<String, Object> attributes = null;
        List<SpanEvent> events = List.of();
        List<SpanLink> links = List.of();
        while (pos < end) {
            int tag = tag(end);
            switch (tag) {
                case 1 << 3 | LENGTH_DELIMITED -> traceId = id(end);
                case 2 << 3 | LENGTH_DELIMITED -> spanId = id(end);
                case 3 << 3 | LENGTH_DELIMITED -> string(end); // trace_state: not kept, but it must be UTF-8
                case 4 << 3 | LENGTH_DELIMITED -> parentId = id(end);
                case 5 << 3 | LENGTH_DELIMITED -> name = string(end);
                case 6 << 3 | VARINT -> kind = (int) varint(end);
                case 7 << 3 | FIXED64 -> startNanos = fixed64(end);
                case 8 << 3 | FIXED64 -> endNanos = fixed64(end);
                case 9 << 3 | LENGTH_DELIMITED -> {
                    if (attributes == null) {
                        attributes = new LinkedHashMap<>();
                    }
                    keyValue(attributes, lengthEnd(end));
                }
                case 11 << 3 | LENGTH_DELIMITED -> {
                    if (events.isEmpty()) {
                        events = new ArrayList<>();
                    }
                    events.add(event(lengthEnd(end)));
                }
                case 13 << 3 | LENGTH_DELIMITED -> {
                    if (links.isEmpty()) {
                        links = new ArrayList<>();
                    }
                    links.add(link(lengthEnd(end)));
                }
                case 15 << 3 | LENGTH_DELIMITED -> {
                    // Status { string message = 2; StatusCode code = 3; }; a status given twice is merged.
                    int statusEnd = lengthEnd(end);
                    while (pos < statusEnd) {
                        int t = tag(statusEnd);
                        if (t == field(2, LENGTH_DELIMITED)) {
                            statusMessage = string(statusEnd);
                        } else if (t == field(3, VARINT)) {
                            statusCode = (int) varint(statusEnd);
                        } else {
                            skip(t, statusEnd);
                        }
                    }
                }
                default -> skip(tag, end);
            }
        }
        String problem = SpanDecoder.problem(absent(traceId), traceId.length(), absent(spanId), spanId.length(),
                absent(parentId), parentId.length(), startNanos, endNanos);
        if (problem != null) {
            rejections.add("span '" + name + "': " + problem);
            return;
        }
        rows.add(new SpanRow(hex(traceId), hex(spanId), absent(parentId) ? "" : hex(parentId), service, name,
                SpanKind.ofOtlp(kind), startNanos, SpanDecoder.end(startNanos, endNanos), StatusCode.ofOtlp(statusCode),
                statusMessage, attributes == null ? Map.of() : attributes, resource, scope, events, links));
    }

    // Span.Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; }
    private SpanEvent event(int end) throws InvalidProtocolBufferException {
        long time = 0;
        String name = "";
        Map<String, Object> attributes = new LinkedHashMap<>();
        while (pos < end) {
            int tag = tag(end);
            if (tag == field(1, FIXED64)) {
                time = fixed64(end);
            } else if (tag == field(2, LENGTH_DELIMITED)) {
                name = string(end);
            } else if (tag == field(3, LENGTH_DELIMITED)) {
                keyValue(attributes, lengthEnd(end));
            } else {
                skip(tag, end);
            }
        }
        return new SpanEvent(name, time, attributes);
    }

    // Span.Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; }
    private SpanLink link(int end) throws InvalidProtocolBufferException {
        Id traceId = Id.EMPTY;
        Id spanId = Id.EMPTY;
        Map<String, Object> attributes = new LinkedHashMap<>();
        while (pos < end) {
            int tag = tag(end);
            if (tag == field(1, LENGTH_DELIMITED)) {
                traceId = id(end);
            } else if (tag == field(2, LENGTH_DELIMITED)) {
                spanId = id(end);
            } else if (tag == field(3, LENGTH_DELIMITED)) {
                string(end);
            } else if (tag == field(4, LENGTH_DELIMITED)) {
                keyValue(attributes, lengthEnd(end));
            } else {
                skip(tag, end);
            }
        }
        return new SpanLink(hex(traceId), hex(spanId), attributes);
    }

    /**
     * KeyValue { string key = 1; AnyValue value = 2; } into {@code out} as
     * {@link OtlpAttributes#flatten} puts it; the message ends at {@code end}.
     */
    private void keyValue(Map<String, Object> out, int end) throws InvalidProtocolBufferException {
        int start = pos;
        String key = "";
        int valueFrom = -1;
        int valueEnd = -1;
        boolean simple = true;
        while (pos < end) {
            int tag = tag(end);
            if (tag == field(1, LENGTH_DELIMITED)) {
                key = string(end);
            } else if (tag == field(2, LENGTH_DELIMITED)) {
                int e = lengthEnd(end);
                // A value given twice is merged: left to the generated parser, as below.
                simple &= valueFrom < 0;
                valueFrom = pos;
                valueEnd = e;
                pos = e;
            } else {
                skip(tag, end);
            }
        }
        if (!simple) {
            KeyValue kv = KeyValue.parseFrom(ByteBuffer.wrap(buf, start, end - start));
            OtlpAttributes.put(out, kv.getKey(), kv.getValue());
            return;
        }
        if (valueFrom < 0) {
            return; // no value: skipped, as OtlpAttributes skips it
        }
        pos = valueFrom;
        Object value = anyValue(valueEnd);
        pos = end;
        if (value == COMPOSITE) {
            // Parsed even without a key, which protobuf would have done (and refused the body if it is not valid).
            AnyValue any = AnyValue.parseFrom(ByteBuffer.wrap(buf, valueFrom, valueEnd - valueFrom));
            OtlpAttributes.put(out, key, any);
        } else if (value != null && !key.isEmpty()) {
            out.put(key, value);
        }
    }

    /**
     * Marks an AnyValue that holds an array or a key/value list, even one a later field
     * replaced (protobuf parses it all the same): it is left to the generated parser and
     * {@link OtlpAttributes}.
     */
    private static final Object COMPOSITE = new Object();

    /**
     * AnyValue { oneof value { string_value = 1; bool_value = 2; int64 int_value = 3;
     * double double_value = 4; ArrayValue array_value = 5; KeyValueList kvlist_value = 6;
     * bytes bytes_value = 7; int32 string_value_strindex = 8; } }: the last one given wins, as in
     * protobuf; null when none is, or when it is one that {@link OtlpAttributes#plain} has no value for.
     */
    private Object anyValue(int end) throws InvalidProtocolBufferException {
        Object value = null;
        boolean composite = false;
        while (pos < end) {
            int tag = tag(end);
            switch (tag) {
                case 1 << 3 | LENGTH_DELIMITED -> value = string(end);
                case 2 << 3 | VARINT -> value = varint(end) != 0;
                case 3 << 3 | VARINT -> value = varint(end);
                case 4 << 3 | FIXED64 -> value = Double.longBitsToDouble(fixed64(end));
                case 5 << 3 | LENGTH_DELIMITED, 6 << 3 | LENGTH_DELIMITED -> {
                    pos = lengthEnd(end);
                    composite = true;
                }
                case 7 << 3 | LENGTH_DELIMITED -> {
                    int e = lengthEnd(end);
                    value = Base64.getEncoder().encodeToString(Arrays.copyOfRange(buf, pos, e));
                    pos = e;
                }
                case 8 << 3 | VARINT -> {
                    varint(end);
                    value = null; // an index into a dictionary that trace exports do not have
                }
                default -> skip(tag, end);
            }
        }
        return composite ? COMPOSITE : value;
    }

    private Id id(int end) throws InvalidProtocolBufferException {
        int e = lengthEnd(end);
        Id id = new Id(pos, e - pos);
        pos = e;
        return id;
    }

    private boolean absent(Id id) {
        return OtlpIds.absent(buf, id.from(), id.length());
    }

    private String hex(Id id) {
        return OtlpIds.hex(buf, id.from(), id.length());
    }

    private String string(int end) throws InvalidProtocolBufferException {
        int e = lengthEnd(end);
        int from = pos;
        pos = e;
        for (int i = from; i < e; i++) {
            if (buf[i] < 0) {
                return utf8(from, e);
            }
        }
        return new String(buf, from, e - from, StandardCharsets.ISO_8859_1); // ASCII: a plain copy
    }

    /** The bytes as UTF-8, refused (as protobuf refuses them) unless they are valid UTF-8. */
    private String utf8(int from, int to) throws InvalidProtocolBufferException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidProtocolBufferException("Protocol message had invalid UTF-8.");
        }
    }

    // The wire format: https://protobuf.dev/programming-guides/encoding/

    // Tags and lengths are 32-bit varints: of a longer one, protobuf keeps the low 32 bits, and so does this.

    private int tag(int end) throws InvalidProtocolBufferException {
        int tag = (int) varint(end);
        if (tag >>> 3 == 0) {
            throw new InvalidProtocolBufferException("Protocol message contained an invalid tag (zero).");
        }
        return tag;
    }

    private long varint(int end) throws InvalidProtocolBufferException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw truncated();
            }
            byte b = buf[pos++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new InvalidProtocolBufferException("CodedInputStream encountered a malformed varint.");
    }

    private long fixed64(int end) throws InvalidProtocolBufferException {
        if (end - pos < 8) {
            throw truncated();
        }
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | (buf[pos + i] & 0xffL);
        }
        pos += 8;
        return value;
    }

    /** Reads a length and answers where the field it prefixes ends, which must be within {@code end}. */
    private int lengthEnd(int end) throws InvalidProtocolBufferException {
        int length = (int) varint(end);
        if (length < 0 || length > end - pos) {
            throw length < 0
                    ? new InvalidProtocolBufferException("CodedInputStream encountered an embedded string or message "
                    + "which claimed to have negative size.")
                    : truncated();
        }
        return pos + length;
    }

    private void skip(int tag, int end) throws InvalidProtocolBufferException {
        skip(tag, end, 0);
    }

    private void skip(int tag, int end, int depth) throws InvalidProtocolBufferException {
        switch (tag & 7) {
            case VARINT -> varint(end);
            case FIXED64 -> {
                if (end - pos < 8) {
                    throw truncated();
                }
                pos += 8;
            }
            case LENGTH_DELIMITED -> pos = lengthEnd(end);
            case START_GROUP -> {
                // No OTLP message has groups, but protobuf skips an unknown one: its fields up to its end tag.
                if (depth >= MAX_DEPTH) {
                    throw new InvalidProtocolBufferException("Protocol message had too many levels of nesting.");
                }
                while (true) {
                    int t = tag(end);
                    if ((t & 7) == END_GROUP) {
                        if (t >>> 3 != tag >>> 3) {
                            throw endGroupMismatch();
                        }
                        return;
                    }
                    skip(t, end, depth + 1);
                }
            }
            case FIXED32 -> {
                if (end - pos < 4) {
                    throw truncated();
                }
                pos += 4;
            }
            case END_GROUP -> throw endGroupMismatch();
            default -> throw new InvalidProtocolBufferException("Protocol message tag had invalid wire type.");
        }
    }

    private static InvalidProtocolBufferException endGroupMismatch() {
        return new InvalidProtocolBufferException("Protocol message end-group tag did not match expected tag.");
    }

    private static InvalidProtocolBufferException truncated() {
        return new InvalidProtocolBufferException("While parsing a protocol message, the input ended unexpectedly in "
                + "the middle of a field.  This could mean either that the input has been truncated or that an "
                + "embedded message misreported its own length.");
    }
}
