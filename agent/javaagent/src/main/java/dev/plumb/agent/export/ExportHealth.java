package dev.plumb.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The agent's one warning about lost telemetry: printed the first time the collector cannot be
 * reached (instead of the SDK's error line per failed batch) or a queue overflows, whichever
 * comes first; the second cause usually follows from the first.
 */
final class ExportHealth {

    private final String endpoint;
    private final AtomicBoolean warned = new AtomicBoolean();

    ExportHealth(String endpoint) {
        this.endpoint = endpoint;
    }

    CompletableResultCode watch(String signal, CompletableResultCode result) {
        result.whenComplete(() -> {
            if (!result.isSuccess()) {
                Throwable cause = result.getFailureThrowable();
                warnOnce("cannot export " + signal + " to " + endpoint
                        + (cause == null ? "" : " (" + cause + ")")
                        + "; telemetry is dropped while the collector is unreachable (queues are bounded).");
            }
        });
        return result;
    }

    /** Prints the warning unless one was printed already. */
    void warnOnce(String message) {
        if (warned.compareAndSet(false, true)) {
            System.err.println("[plumb-agent] WARN " + message + " This warning is printed once.");
        }
    }
}
