package dev.plumb.bench.ingest;

import dev.plumb.bench.ingest.BenchSpan.Kind;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The checkout request every generated trace records: frontend calls orders, orders writes its
 * database and calls payment, payment calls a bank. Ten spans over three services, two
 * cross-service edges (frontend to orders, orders to payment). Each trace makes exactly one
 * call from {@link #CALLER} to {@link #CALLEE}, so that both servers can count the traces they
 * stored through their service map ("dependencies" in Zipkin).
 *
 * <p>Every id starts with the four bytes {@link #MARKER}; {@link BodyTemplate} overwrites them
 * with a request number so that each request sent carries ids no other request has.
 */
final class TraceShape {
    /** First four bytes of every generated id; replaced per request. */
    static final byte[] MARKER = {0x7e, 0x57, (byte) 0xab, 0x1e};
    static final int SPANS_PER_TRACE = 10;
    static final String CALLER = "frontend";
    static final String CALLEE = "orders";
    static final List<String> SERVICES = List.of("frontend", "orders", "payment");

    private static final HexFormat HEX = HexFormat.of();

    private TraceShape() {
    }

    /**
     * {@code traces} traces starting at {@code startMicros}, with random ids from {@code random};
     * the traces whose index is a multiple of {@code errorEvery} fail in payment.
     */
    static List<BenchSpan> traces(int traces, long startMicros, int errorEvery, Random random) {
        List<BenchSpan> spans = new ArrayList<>(traces * SPANS_PER_TRACE);
        for (int t = 0; t < traces; t++) {
            String trace = id(random, 16);
            boolean fails = t % errorEvery == 0;
            long at = startMicros + t * 1_000L;
            long total = 20_000 + random.nextInt(180_000);
            String[] ids = new String[SPANS_PER_TRACE];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = id(random, 8);
            }
            spans.add(new BenchSpan(trace, ids[0], "", "frontend", "GET /checkout", Kind.SERVER, at, total, false,
                    Map.of("http.request.method", "GET", "http.response.status_code", fails ? "502" : "200")));
            spans.add(new BenchSpan(trace, ids[1], ids[0], "frontend", "CheckoutPage.render", Kind.INTERNAL, at + 100,
                    total - 200, false, Map.of("code.function.name", "shop.web.CheckoutPage.render")));
            spans.add(new BenchSpan(trace, ids[2], ids[1], "frontend", "POST /orders", Kind.CLIENT, at + 200,
                    total - 400, fails, Map.of("http.request.method", "POST")));
            spans.add(new BenchSpan(trace, ids[3], ids[2], "orders", "POST /orders", Kind.SERVER, at + 300,
                    total - 600, fails, Map.of("http.request.method", "POST",
                    "http.response.status_code", fails ? "502" : "201")));
            spans.add(new BenchSpan(trace, ids[4], ids[3], "orders", "OrderService.place", Kind.INTERNAL, at + 400,
                    total - 800, fails, Map.of("code.function.name", "shop.orders.OrderService.place")));
            spans.add(new BenchSpan(trace, ids[5], ids[4], "orders", "INSERT orders", Kind.CLIENT, at + 500, 2_000,
                    false, Map.of("db.system.name", "postgresql", "db.operation.name", "INSERT")));
            long charge = total - 3_000;
            spans.add(new BenchSpan(trace, ids[6], ids[4], "orders", "POST /charge", Kind.CLIENT, at + 2_600,
                    charge - 2_000, fails, Map.of("http.request.method", "POST")));
            spans.add(new BenchSpan(trace, ids[7], ids[6], "payment", "POST /charge", Kind.SERVER, at + 2_700,
                    charge - 2_200, fails, Map.of("http.request.method", "POST",
                    "http.response.status_code", fails ? "500" : "200")));
            spans.add(new BenchSpan(trace, ids[8], ids[7], "payment", "PaymentService.charge", Kind.INTERNAL,
                    at + 2_800, charge - 2_400, fails, Map.of("code.function.name", "shop.pay.PaymentService.charge")));
            spans.add(new BenchSpan(trace, ids[9], ids[8], "payment", "POST /authorize", Kind.CLIENT, at + 2_900,
                    charge - 2_600, fails, Map.of("http.request.method", "POST", "server.address", "bank.example")));
        }
        return spans;
    }

    /** {@code bytes} random bytes in hex, the first four being {@link #MARKER}. */
    private static String id(Random random, int bytes) {
        byte[] id = new byte[bytes];
        random.nextBytes(id);
        System.arraycopy(MARKER, 0, id, 0, MARKER.length);
        return HEX.formatHex(id);
    }
}
