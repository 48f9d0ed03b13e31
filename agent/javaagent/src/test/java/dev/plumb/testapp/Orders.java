package dev.plumb.testapp;

import dev.plumb.Monitor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/** Monitored methods of the test app: a nested call, a throw, an async result. */
public class Orders {

    static volatile IllegalStateException lastThrown;
    private final Inventory inventory = new Inventory();

    @Monitor
    public String place(@Monitor.Attr("order.id") String orderId) {
        System.out.println("MDC_DURING trace_id=" + MDC.get("trace_id") + " span_id=" + MDC.get("span_id")
                + " trace_flags=" + MDC.get("trace_flags"));
        return inventory.reserve(orderId);
    }

    @Monitor
    public void fail(String orderId) {
        lastThrown = new IllegalStateException("out of stock: " + orderId);
        throw lastThrown;
    }

    @Monitor
    public CompletableFuture<String> slowAsync() {
        return CompletableFuture.supplyAsync(() -> "done",
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
    }

    @Monitor(ignoreExceptions = IllegalArgumentException.class)
    public void validate(String input) {
        if (input.isEmpty()) {
            throw new IllegalArgumentException("empty input");
        }
    }

    /** Nested monitored call. */
    public static class Inventory {
        @Monitor(name = "reserve-stock")
        public String reserve(String orderId) {
            return "reserved " + orderId;
        }
    }
}
