package dev.plumb.analytics.ingest;

import dev.plumb.analytics.telemetry.Exemplar;
import dev.plumb.analytics.telemetry.LogRow;
import dev.plumb.analytics.telemetry.MetricPoint;
import dev.plumb.analytics.telemetry.MetricType;
import dev.plumb.analytics.telemetry.SpanEvent;
import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanLink;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import dev.plumb.analytics.telemetry.Temporality;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ingest log's record payload: a {@link TelemetryBatch} as compact binary, so that replay
 * rebuilds exactly the rows the writer would have appended. Attribute values keep the types
 * {@code AttributeJson} distinguishes (string, integer, double, boolean, list); any other value
 * is written as its text, which is also what {@code AttributeJson} would store.
 *
 * <p>Layout: a format byte, then the spans, logs and metric points, each list as a count and
 * its items; strings as a length (−1 for null) and UTF-8 bytes; numbers big-endian. A resource
 * map is written once per batch: a later row of the same resource (the same map instance, as
 * the OTLP decoder shares it) writes a negative back-reference instead, and decodes to the same
 * instance, so the loader's JSON of it is also made once.
 */
final class BatchCodec {
    private static final byte FORMAT = 1;
    private static final byte NULL = 0;
    private static final byte TEXT = 1;
    private static final byte INTEGER = 2;
    private static final byte DOUBLE = 3;
    private static final byte BOOLEAN = 4;
    private static final byte LIST = 5;

    private static final SpanKind[] KINDS = SpanKind.values();
    private static final StatusCode[] STATUSES = StatusCode.values();
    private static final MetricType[] METRIC_TYPES = MetricType.values();
    private static final Temporality[] TEMPORALITIES = Temporality.values();

    private BatchCodec() {
    }

    /**
     * Each encoding thread's buffer, kept between batches so that a batch costs one allocation
     * (its record, of the exact size) instead of a new buffer and its growth. Buffers that grew
     * past {@link #KEPT_BUFFER_BYTES} for an unusually large batch are not kept.
     */
    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[64 * 1024]);
    private static final int KEPT_BUFFER_BYTES = 1 << 20;

    static byte[] encode(TelemetryBatch batch) {
        Out out = new Out(BUFFERS.get());
        try {
            write(batch, out);
            return out.bytes();
        } finally {
            if (out.buf.length <= KEPT_BUFFER_BYTES) {
                BUFFERS.set(out.buf);
            }
        }
    }

    private static void write(TelemetryBatch batch, Out out) {
        out.b(FORMAT);
        out.i(batch.spans().size());
        for (SpanRow s : batch.spans()) {
            out.s(s.traceId()).s(s.spanId()).s(s.parentSpanId()).s(s.service()).s(s.name());
            out.b((byte) s.kind().ordinal());
            out.l(s.startNanos()).l(s.endNanos());
            out.b((byte) s.status().ordinal());
            out.s(s.statusMessage()).map(s.attributes()).resource(s.resource()).s(s.scopeName());
            out.i(s.events().size());
            for (SpanEvent e : s.events()) {
                out.s(e.name()).l(e.timeNanos()).map(e.attributes());
            }
            out.i(s.links().size());
            for (SpanLink l : s.links()) {
                out.s(l.traceId()).s(l.spanId()).map(l.attributes());
            }
        }
        out.i(batch.logs().size());
        for (LogRow l : batch.logs()) {
            out.l(l.timeNanos()).l(l.observedNanos()).s(l.service()).i(l.severityNumber()).s(l.severityText())
                    .s(l.body()).s(l.traceId()).s(l.spanId()).map(l.attributes()).resource(l.resource()).s(l.scopeName());
        }
        out.i(batch.metrics().size());
        for (MetricPoint p : batch.metrics()) {
            out.s(p.service()).s(p.name()).s(p.description()).s(p.unit());
            out.b((byte) p.type().ordinal()).b((byte) p.temporality().ordinal()).b((byte) (p.monotonic() ? 1 : 0));
            out.l(p.startNanos()).l(p.timeNanos()).map(p.attributes()).resource(p.resource());
            out.d(p.value()).l(p.count()).d(p.sum()).d(p.min()).d(p.max());
            out.i(p.bounds().size());
            for (double bound : p.bounds()) {
                out.d(bound);
            }
            out.i(p.bucketCounts().size());
            for (long count : p.bucketCounts()) {
                out.l(count);
            }
            out.i(p.exemplars().size());
            for (Exemplar x : p.exemplars()) {
                out.l(x.timeNanos()).d(x.value()).s(x.traceId()).s(x.spanId()).map(x.attributes());
            }
        }
    }

    /** The batch {@link #encode} wrote; throws {@link IllegalArgumentException} when the bytes are not one. */
    static TelemetryBatch decode(byte[] bytes) {
        In in = new In(bytes);
        try {
            byte format = in.b();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown batch format " + format + " (this build writes " + FORMAT + ")");
            }
            int spanCount = in.count();
            List<SpanRow> spans = new ArrayList<>(spanCount);
            for (int i = 0; i < spanCount; i++) {
                String traceId = in.s();
                String spanId = in.s();
                String parent = in.s();
                String service = in.name();
                String name = in.name();
                SpanKind kind = KINDS[in.b()];
                long start = in.l();
                long end = in.l();
                StatusCode status = STATUSES[in.b()];
                String statusMessage = in.name();
                Map<String, Object> attributes = in.map();
                Map<String, Object> resource = in.resource();
                String scope = in.name();
                int eventCount = in.count();
                List<SpanEvent> events = new ArrayList<>(eventCount);
                for (int e = 0; e < eventCount; e++) {
                    events.add(new SpanEvent(in.name(), in.l(), in.map()));
                }
                int linkCount = in.count();
                List<SpanLink> links = new ArrayList<>(linkCount);
                for (int k = 0; k < linkCount; k++) {
                    links.add(new SpanLink(in.s(), in.s(), in.map()));
                }
                spans.add(new SpanRow(traceId, spanId, parent, service, name, kind, start, end, status, statusMessage,
                        attributes, resource, scope, events, links));
            }
            int logCount = in.count();
            List<LogRow> logs = new ArrayList<>(logCount);
            for (int i = 0; i < logCount; i++) {
                logs.add(new LogRow(in.l(), in.l(), in.s(), in.i(), in.s(), in.s(), in.s(), in.s(), in.map(), in.resource(),
                        in.s()));
            }
            int pointCount = in.count();
            List<MetricPoint> points = new ArrayList<>(pointCount);
            for (int i = 0; i < pointCount; i++) {
                String service = in.name();
                String name = in.name();
                String description = in.s();
                String unit = in.s();
                MetricType type = METRIC_TYPES[in.b()];
                Temporality temporality = TEMPORALITIES[in.b()];
                boolean monotonic = in.b() != 0;
                long start = in.l();
                long time = in.l();
                Map<String, Object> attributes = in.map();
                Map<String, Object> resource = in.resource();
                double value = in.d();
                long count = in.l();
                double sum = in.d();
                double min = in.d();
                double max = in.d();
                int boundCount = in.count();
                List<Double> bounds = new ArrayList<>(boundCount);
                for (int b = 0; b < boundCount; b++) {
                    bounds.add(in.d());
                }
                int bucketCount = in.count();
                List<Long> buckets = new ArrayList<>(bucketCount);
                for (int b = 0; b < bucketCount; b++) {
                    buckets.add(in.l());
                }
                int exemplarCount = in.count();
                List<Exemplar> exemplars = new ArrayList<>(exemplarCount);
                for (int x = 0; x < exemplarCount; x++) {
                    exemplars.add(new Exemplar(in.l(), in.d(), in.s(), in.s(), in.map()));
                }
                points.add(new MetricPoint(service, name, description, unit, type, temporality, monotonic, start, time,
                        attributes, resource, value, count, sum, min, max, bounds, buckets, exemplars));
            }
            if (in.position != bytes.length) {
                throw new IllegalArgumentException((bytes.length - in.position) + " bytes after the batch");
            }
            return new TelemetryBatch(spans, logs, points);
        } catch (ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("not a batch: it ends or breaks at byte " + in.position + " of "
                    + bytes.length, e);
        }
    }

    /** A growing big-endian buffer; cheaper than a DataOutputStream over a ByteArrayOutputStream. */
    private static final class Out {
        private final Map<Map<String, ?>, Integer> resources = new IdentityHashMap<>();
        private byte[] buf;
        private int n;

        Out(byte[] buf) {
            this.buf = buf;
        }

        private void room(int more) {
            if (n + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
            }
        }

        Out b(byte v) {
            room(1);
            buf[n++] = v;
            return this;
        }

        Out i(int v) {
            room(4);
            buf[n++] = (byte) (v >>> 24);
            buf[n++] = (byte) (v >>> 16);
            buf[n++] = (byte) (v >>> 8);
            buf[n++] = (byte) v;
            return this;
        }

        Out l(long v) {
            i((int) (v >>> 32));
            return i((int) v);
        }

        Out d(double v) {
            return l(Double.doubleToRawLongBits(v));
        }

        Out s(String v) {
            if (v == null) {
                return i(-1);
            }
            int length = v.length();
            room(4 + length);
            // ASCII (ids, names, most attribute values) goes straight into the buffer, as UTF-8 would write it.
            int at = n + 4;
            for (int k = 0; k < length; k++) {
                char c = v.charAt(k);
                if (c >= 0x80) {
                    return utf8(v);
                }
                buf[at + k] = (byte) c;
            }
            i(length);
            n += length;
            return this;
        }

        private Out utf8(String v) {
            byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
            i(utf8.length);
            room(utf8.length);
            System.arraycopy(utf8, 0, buf, n, utf8.length);
            n += utf8.length;
            return this;
        }

        Out map(Map<String, ?> map) {
            i(map.size());
            for (Map.Entry<String, ?> e : map.entrySet()) {
                s(e.getKey());
                value(e.getValue());
            }
            return this;
        }

        /** A resource map, or −1 − k for the k-th distinct one already written in this batch. */
        Out resource(Map<String, ?> map) {
            Integer seen = resources.get(map);
            if (seen != null) {
                return i(-1 - seen);
            }
            resources.put(map, resources.size());
            return map(map);
        }

        private void value(Object v) {
            if (v == null) {
                b(NULL);
            } else if (v instanceof String text) {
                b(TEXT).s(text);
            } else if (v instanceof Boolean flag) {
                b(BOOLEAN).b((byte) (flag ? 1 : 0));
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                b(INTEGER).l(((Number) v).longValue());
            } else if (v instanceof Number number && Double.isFinite(number.doubleValue())) {
                b(DOUBLE).d(number.doubleValue());
            } else if (v instanceof List<?> list) {
                b(LIST).i(list.size());
                for (Object item : list) {
                    value(item);
                }
            } else {
                b(TEXT).s(String.valueOf(v));
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, n);
        }
    }

    /**
     * Each decoding thread's recent short strings (service and span names, attribute keys and
     * most values), by a hash of their bytes: a batch repeats them span after span, and
     * answering the same instance again spares the allocation of a string and its bytes.
     */
    private static final ThreadLocal<String[]> NAMES = ThreadLocal.withInitial(() -> new String[4096]);
    private static final int LONGEST_NAME = 64;

    private static final class In {
        private final List<Map<String, Object>> resources = new ArrayList<>();
        private final byte[] buf;
        private final String[] names = NAMES.get();
        private int position;

        In(byte[] buf) {
            this.buf = buf;
        }

        byte b() {
            return buf[position++];
        }

        int i() {
            int v = ((buf[position] & 0xff) << 24) | ((buf[position + 1] & 0xff) << 16)
                    | ((buf[position + 2] & 0xff) << 8) | (buf[position + 3] & 0xff);
            position += 4;
            return v;
        }

        /** A list length, which a corrupt record could make absurd. */
        int count() {
            int v = i();
            if (v < 0 || v > buf.length - position) {
                throw new IllegalArgumentException("not a batch: a count of " + v + " at byte " + (position - 4));
            }
            return v;
        }

        long l() {
            return ((long) i() << 32) | (i() & 0xffffffffL);
        }

        double d() {
            return Double.longBitsToDouble(l());
        }

        String s() {
            int length = i();
            if (length == -1) {
                return null;
            }
            if (length < 0 || length > buf.length - position) {
                throw new IllegalArgumentException("not a batch: a string of " + length + " bytes at byte " + (position - 4));
            }
            String v = new String(buf, position, length, StandardCharsets.UTF_8);
            position += length;
            return v;
        }

        /**
         * A string like {@link #s}, but one seen lately is answered from {@link #NAMES}: for
         * the strings that repeat, never for ids. Only ASCII strings are kept, as comparing
         * them with the bytes needs no decoding.
         */
        String name() {
            int length = i();
            if (length < 0 || length > LONGEST_NAME || length > buf.length - position) {
                position -= 4;
                return s();
            }
            int hash = 0;
            boolean ascii = true;
            for (int k = position; k < position + length; k++) {
                ascii &= buf[k] >= 0;
                hash = 31 * hash + buf[k];
            }
            if (!ascii) {
                position -= 4;
                return s();
            }
            int slot = (hash ^ (hash >>> 16)) & (names.length - 1);
            String known = names[slot];
            if (known == null || known.length() != length || !sameAscii(known, position)) {
                known = new String(buf, position, length, StandardCharsets.ISO_8859_1);
                names[slot] = known;
            }
            position += length;
            return known;
        }

        private boolean sameAscii(String known, int from) {
            for (int k = 0; k < known.length(); k++) {
                if (known.charAt(k) != buf[from + k]) {
                    return false;
                }
            }
            return true;
        }

        Map<String, Object> map() {
            return entries(count());
        }

        /**
         * The encoder wrote a map, so its keys are distinct: the common small maps are built
         * immutable at once (unless they hold a null, which only a mutable map can).
         */
        private Map<String, Object> entries(int size) {
            if (size == 0) {
                return Map.of();
            }
            String k1 = name();
            Object v1 = value();
            boolean plain = k1 != null && v1 != null;
            if (size == 1 && plain) {
                return Map.of(k1, v1);
            }
            String k2 = name();
            Object v2 = value();
            if (size == 2 && plain && k2 != null && v2 != null && !k1.equals(k2)) {
                return Map.of(k1, v1, k2, v2);
            }
            Map<String, Object> map = new HashMap<>(Math.max(4, size * 2));
            map.put(k1, v1);
            map.put(k2, v2);
            for (int k = 2; k < size; k++) {
                map.put(name(), value());
            }
            return map;
        }

        Map<String, Object> resource() {
            int v = i();
            if (v < 0) {
                int k = -1 - v;
                if (k >= resources.size()) {
                    throw new IllegalArgumentException("not a batch: resource " + k + " referred to before it was written");
                }
                return resources.get(k);
            }
            position -= 4;
            Map<String, Object> map = Map.copyOf(map());
            resources.add(map);
            return map;
        }

        private Object value() {
            byte tag = b();
            return switch (tag) {
                case NULL -> null;
                case TEXT -> name();
                case INTEGER -> l();
                case DOUBLE -> d();
                case BOOLEAN -> b() != 0;
                case LIST -> {
                    int size = count();
                    List<Object> list = new ArrayList<>(size);
                    for (int k = 0; k < size; k++) {
                        list.add(value());
                    }
                    yield list;
                }
                default -> throw new IllegalArgumentException("not a batch: value type " + tag + " at byte " + (position - 1));
            };
        }
    }
}
