package dev.plumb.analytics;

import dev.plumb.analytics.telemetry.SpanKind;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.StatusCode;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The process {@link StoreCrashIT} kills: four threads write batches to a store as fast as
 * they can and print {@code ack <id>} for each batch once {@link Store#write} returned.
 */
public final class CrashingWriter {
    private CrashingWriter() {
    }

    static String traceId(long id) {
        return String.format("%032x", id);
    }

    static TelemetryBatch batch(long id) {
        long t = CheckoutFixture.nanos(CheckoutFixture.T0) + id;
        List<SpanRow> spans = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            spans.add(CheckoutFixture.span(traceId(id), String.format("%016x", id * 10 + s), "", "crash", "op",
                    SpanKind.SERVER, t, 1_000, StatusCode.UNSET, Map.of("n", (long) s), List.of()));
        }
        return new TelemetryBatch(spans, List.of(CheckoutFixture.log(t, "crash", 9, "INFO", "batch " + id,
                traceId(id), "", Map.of())), List.of());
    }

    public static void main(String[] args) throws Exception {
        Store store = Store.open(Path.of(args[0]));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long base = (t + 1) * 1_000_000L;
            Thread thread = new Thread(() -> {
                for (long n = 0; ; n++) {
                    store.write(batch(base + n));
                    synchronized (System.out) {
                        System.out.println("ack " + (base + n));
                        System.out.flush();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
