package dev.plumb.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An exporter built on its first use. The SDK first exports on its own worker threads, so the
 * JDK HTTP client behind an OTLP exporter (whose construction sets up TLS, about half a second
 * of class loading even for an {@code http://} endpoint) is never built on the application's
 * start-up path, and never at all by a JVM that exits before it has telemetry to send.
 */
final class Deferred<T> {

    private final Supplier<T> factory;
    private volatile T value;

    Deferred(Supplier<T> factory) {
        this.factory = factory;
    }

    /** The exporter, built now if this is the first use. */
    T get() {
        T current = value;
        if (current == null) {
            synchronized (this) {
                current = value;
                if (current == null) {
                    current = factory.get();
                    value = current;
                }
            }
        }
        return current;
    }

    /**
     * Runs {@code action} (a flush or a shutdown) on the exporter if it was built; an unused one
     * has nothing to flush or close, and building it just for that would cost the client.
     */
    CompletableResultCode ifBuilt(Function<T, CompletableResultCode> action) {
        T current = value;
        return current == null ? CompletableResultCode.ofSuccess() : action.apply(current);
    }
}
