package dev.plumb.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The wire-format trace reader answers what parsing into the generated classes and
 * {@link SpanDecoder} answer, on generated requests of every shape, on the same requests with
 * their fields shuffled, repeated, dropped or joined by unknown ones, and on corrupted bytes:
 * the same rows and refusals, or a refusal of the whole body by both.
 */
class OtlpTraceProtoTest {
    private static final String[] WORDS = {"", "GET /checkout", "orders", "service.name", "code.function.name",
        "ünïcödé ✓", "a.b", "x", "http.response.status_code"};

    /** What the generated parser and {@link SpanDecoder} answer: the decoded rows, or the parser's refusal. */
    private static Object reference(byte[] body) {
        try {
            return SpanDecoder.decode(ExportTraceServiceRequest.parseFrom(body));
        } catch (InvalidProtocolBufferException e) {
            return "refused";
        }
    }

    private static Object direct(byte[] body) {
        try {
            return OtlpTraceProto.decode(body);
        } catch (InvalidProtocolBufferException e) {
            return "refused";
        }
    }

    @Test
    void readsEveryFieldOfAKnownSpan() throws IOException {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", AnyValue.newBuilder().setStringValue("checkout"))))
                .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("shop"))
                        .addSpans(Span.newBuilder()
                                .setTraceId(ByteString.fromHex("5b8efff798038103d269b633813fc60c"))
                                .setSpanId(ByteString.fromHex("eee19b7ec3c1b174"))
                                .setParentSpanId(ByteString.fromHex("0000000000000000"))
                                .setName("GET /pay").setKind(Span.SpanKind.SPAN_KIND_SERVER)
                                .setStartTimeUnixNano(1_000).setEndTimeUnixNano(251_000)
                                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("declined"))
                                .addAttributes(kv("http.response.status_code", AnyValue.newBuilder().setIntValue(402)))
                                .addAttributes(kv("tags", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                                        .addValues(AnyValue.newBuilder().setStringValue("a"))
                                        .addValues(AnyValue.newBuilder().setIntValue(7)))))
                                .addAttributes(kv("payload", AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hello"))))
                                .addEvents(Span.Event.newBuilder().setName("retry").setTimeUnixNano(2_000))
                                .addLinks(Span.Link.newBuilder().setTraceId(ByteString.fromHex("5b8efff798038103d269b633813fc60d"))
                                        .setSpanId(ByteString.fromHex("0000000000000def"))))))
                .build();
        Decoded decoded = OtlpTraceProto.decode(request.toByteArray());
        assertThat(decoded.rejected()).isZero();
        SpanRow row = decoded.batch().spans().get(0);
        assertThat(row.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(row.spanId()).isEqualTo("eee19b7ec3c1b174");
        assertThat(row.parentSpanId()).as("all zeros: a root").isEmpty();
        assertThat(row.service()).isEqualTo("checkout");
        assertThat(row.scopeName()).isEqualTo("shop");
        assertThat(row.kind()).isEqualTo(SpanKind.SERVER);
        assertThat(row.durationNanos()).isEqualTo(250_000);
        assertThat(row.status()).isEqualTo(StatusCode.ERROR);
        assertThat(row.statusMessage()).isEqualTo("declined");
        assertThat(row.attributes()).isEqualTo(Map.of("http.response.status_code", 402L, "tags", List.of("a", 7L),
                "payload", "aGVsbG8="));
        assertThat(row.events().get(0).name()).isEqualTo("retry");
        assertThat(row.links().get(0).spanId()).isEqualTo("0000000000000def");
        assertThat(decoded).isEqualTo(reference(request.toByteArray()));
    }

    @Test
    void agreesWithTheGeneratedParserOnGeneratedRequests() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            byte[] body = request(random).toByteArray();
            assertThat(direct(body)).as("request %d", i).isEqualTo(reference(body));
        }
    }

    @Test
    void agreesOnFieldsInAnyOrderRepeatedDroppedOrUnknown() throws IOException {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            byte[] body = rewrite(request(random).toByteArray(), Level.REQUEST, random);
            assertThat(direct(body)).as("request %d", i).isEqualTo(reference(body));
        }
    }

    @Test
    void agreesOnCorruptedBytes() {
        Random random = new Random(13);
        int refused = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] body = request(random).toByteArray();
            if (body.length == 0) {
                continue;
            }
            if (random.nextBoolean()) {
                body = Arrays.copyOf(body, random.nextInt(body.length));
            } else {
                for (int k = 0; k <= random.nextInt(3); k++) {
                    body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                }
            }
            Object expected = reference(body);
            assertThat(direct(body)).as("body %d", i).isEqualTo(expected);
            refused += expected.equals("refused") ? 1 : 0;
        }
        assertThat(refused).as("the corruptions reach the parser's refusals too").isGreaterThan(500);
    }

    @Test
    void refusesInvalidUtf8AndGarbageAsTheGeneratedParserDoes() {
        byte[] badName = Span.newBuilder().setName("ab").build().toByteArray();
        badName[badName.length - 1] = (byte) 0xC3; // a lead byte without its continuation
        byte[] body = wrap(1, wrap(2, wrap(2, badName)));
        assertThat(reference(body)).isEqualTo("refused");
        assertThatThrownBy(() -> OtlpTraceProto.decode(body)).isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> OtlpTraceProto.decode(new byte[] {0x0a, 0x05, 0x01}))
                .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("truncated");
        assertThat(direct(new byte[] {0x00})).isEqualTo(reference(new byte[] {0x00}));
    }

    private static byte[] wrap(int field, byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            CodedOutputStream c = CodedOutputStream.newInstance(out);
            c.writeByteArray(field, message);
            c.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    // Generated requests: a few resources, scopes and spans, with ids of every validity and attribute values of every kind.

    private static ExportTraceServiceRequest request(Random r) {
        ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
        for (int i = 0; i < r.nextInt(3); i++) {
            ResourceSpans.Builder rs = b.addResourceSpansBuilder();
            if (r.nextInt(4) > 0) {
                Resource.Builder resource = rs.getResourceBuilder();
                if (r.nextBoolean()) {
                    resource.addAttributes(kv("service.name", AnyValue.newBuilder().setStringValue(word(r))));
                }
                attributes(r, resource::addAttributes);
            }
            for (int j = 0; j < r.nextInt(3); j++) {
                ScopeSpans.Builder ss = rs.addScopeSpansBuilder();
                if (r.nextBoolean()) {
                    ss.getScopeBuilder().setName(word(r)).setVersion(word(r));
                }
                for (int k = 0; k < r.nextInt(4); k++) {
                    ss.addSpans(span(r));
                }
            }
        }
        return b.build();
    }

    private static Span span(Random r) {
        Span.Builder s = Span.newBuilder().setTraceId(id(r, 16)).setSpanId(id(r, 8)).setName(word(r))
                .setKindValue(r.nextInt(7)).setStartTimeUnixNano(r.nextInt(1_000)).setTraceState(word(r));
        if (r.nextBoolean()) {
            s.setParentSpanId(id(r, 8));
        }
        if (r.nextInt(3) > 0) {
            s.setEndTimeUnixNano(r.nextInt(1_200));
        }
        if (r.nextBoolean()) {
            s.setStatus(Status.newBuilder().setCodeValue(r.nextInt(4)).setMessage(word(r)));
        }
        attributes(r, s::addAttributes);
        for (int i = 0; i < r.nextInt(3); i++) {
            Span.Event.Builder e = s.addEventsBuilder().setName(word(r)).setTimeUnixNano(r.nextLong());
            attributes(r, e::addAttributes);
        }
        for (int i = 0; i < r.nextInt(3); i++) {
            Span.Link.Builder l = s.addLinksBuilder().setTraceId(id(r, 16)).setSpanId(id(r, 8)).setTraceState(word(r));
            attributes(r, l::addAttributes);
        }
        return s.build();
    }

    /** Mostly well-formed ids; sometimes missing, all zeros or of a wrong length. */
    private static ByteString id(Random r, int bytes) {
        return switch (r.nextInt(12)) {
            case 0 -> ByteString.EMPTY;
            case 1 -> ByteString.copyFrom(new byte[bytes]);
            case 2 -> ByteString.copyFrom(random(r, bytes + 1));
            default -> ByteString.copyFrom(random(r, bytes));
        };
    }

    private static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static String word(Random r) {
        return WORDS[r.nextInt(WORDS.length)];
    }

    private static void attributes(Random r, Consumer<KeyValue> add) {
        for (int i = 0; i < r.nextInt(5); i++) {
            add.accept(kv(word(r), value(r, 2)));
        }
    }

    private static KeyValue kv(String key, AnyValue.Builder value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static AnyValue.Builder value(Random r, int depth) {
        AnyValue.Builder v = AnyValue.newBuilder();
        switch (r.nextInt(depth > 0 ? 10 : 7)) {
            case 0 -> v.setStringValue(word(r));
            case 1 -> v.setBoolValue(r.nextBoolean());
            case 2 -> v.setIntValue(r.nextLong());
            case 3 -> v.setDoubleValue(r.nextInt(3) == 0 ? Double.NaN : r.nextGaussian());
            case 4 -> v.setBytesValue(ByteString.copyFrom(random(r, r.nextInt(5))));
            case 5 -> { } // no value at all
            case 6 -> v.setStringValueStrindex(r.nextInt(9));
            case 7, 8 -> {
                ArrayValue.Builder a = v.getArrayValueBuilder();
                for (int i = 0; i < r.nextInt(4); i++) {
                    a.addValues(value(r, depth - 1));
                }
            }
            default -> {
                KeyValueList.Builder l = v.getKvlistValueBuilder();
                for (int i = 0; i < r.nextInt(4); i++) {
                    l.addValues(kv(word(r), value(r, depth - 1)));
                }
            }
        }
        return v;
    }

    // Rewritten requests: the same fields in another order, some twice, some dropped, unknown ones added.

    /** The messages of a trace export, and which of their fields hold messages of which kind. */
    private enum Level {
        REQUEST, RESOURCE_SPANS, RESOURCE, SCOPE_SPANS, SCOPE, SPAN, EVENT, LINK, STATUS, KEY_VALUE, ANY_VALUE, LEAF;

        Level child(int field) {
            return switch (this) {
                case REQUEST -> field == 1 ? RESOURCE_SPANS : LEAF;
                case RESOURCE_SPANS -> field == 1 ? RESOURCE : field == 2 ? SCOPE_SPANS : LEAF;
                case RESOURCE -> field == 1 ? KEY_VALUE : LEAF;
                case SCOPE_SPANS -> field == 1 ? SCOPE : field == 2 ? SPAN : LEAF;
                case SCOPE -> field == 3 ? KEY_VALUE : LEAF;
                case SPAN -> field == 9 ? KEY_VALUE : field == 11 ? EVENT : field == 13 ? LINK : field == 15 ? STATUS : LEAF;
                case EVENT -> field == 3 ? KEY_VALUE : LEAF;
                case LINK -> field == 4 ? KEY_VALUE : LEAF;
                case KEY_VALUE -> field == 2 ? ANY_VALUE : LEAF;
                default -> LEAF;
            };
        }
    }

    private record Field(int tag, byte[] raw) {
    }

    private static byte[] rewrite(byte[] message, Level level, Random r) throws IOException {
        List<Field> fields = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(message);
        int tag;
        while ((tag = in.readTag()) != 0) {
            int number = WireFormat.getTagFieldNumber(tag);
            byte[] raw = switch (WireFormat.getTagWireType(tag)) {
                case WireFormat.WIRETYPE_VARINT -> varint(in.readRawVarint64());
                case WireFormat.WIRETYPE_FIXED64 -> in.readRawBytes(8);
                case WireFormat.WIRETYPE_FIXED32 -> in.readRawBytes(4);
                case WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                    byte[] content = in.readByteArray();
                    Level child = level.child(number);
                    yield lengthPrefixed(child == Level.LEAF ? content : rewrite(content, child, r));
                }
                default -> throw new AssertionError("generated messages have no groups");
            };
            fields.add(new Field(tag, raw));
        }
        Collections.shuffle(fields, r);
        if (!fields.isEmpty() && r.nextInt(4) == 0) {
            fields.add(fields.get(r.nextInt(fields.size()))); // a field given twice
        }
        if (!fields.isEmpty() && r.nextInt(8) == 0) {
            fields.remove(r.nextInt(fields.size()));
        }
        if (r.nextInt(4) == 0) {
            fields.add(r.nextInt(fields.size() + 1), unknown(r));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Field f : fields) {
            out.write(varint(f.tag() & 0xffffffffL));
            out.write(f.raw());
        }
        return out.toByteArray();
    }

    /** A field no OTLP message has, or a known number with an unexpected wire type; a group now and then. */
    private static Field unknown(Random r) {
        int number = r.nextBoolean() ? 1 + r.nextInt(16) : 100 + r.nextInt(1000);
        return switch (r.nextInt(5)) {
            case 0 -> new Field(number << 3, varint(r.nextLong()));
            case 1 -> new Field(number << 3 | 1, random(r, 8));
            case 2 -> new Field(number << 3 | 5, random(r, 4));
            case 3 -> new Field(number << 3 | 2, lengthPrefixed(random(r, r.nextInt(6))));
            default -> {
                // An empty group: its start tag here, then its end tag as the "raw" bytes.
                yield new Field(number << 3 | 3, varint((long) number << 3 | 4));
            }
        };
    }

    private static byte[] lengthPrefixed(byte[] content) {
        byte[] length = varint(content.length);
        byte[] out = new byte[length.length + content.length];
        System.arraycopy(length, 0, out, 0, length.length);
        System.arraycopy(content, 0, out, length.length, content.length);
        return out;
    }

    private static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((value & ~0x7fL) != 0) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }
}
