package dev.plumb.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches export results and prints a single warning the first time the collector cannot be
 * reached, instead of the SDK's error line per failed batch.
 */
final class ExportHealth {

    private final String endpoint;
    private final AtomicBoolean warned = new AtomicBoolean();

    ExportHealth(String endpoint) {
        this.endpoint = endpoint;
    }

    CompletableResultCode watch(String signal, CompletableResultCode result) {
        result.whenComplete(() -> {
            if (!result.isSuccess() && warned.compareAndSet(false, true)) {
                Throwable cause = result.getFailureThrowable();
                System.err.println("[plumb-agent] WARN cannot export " + signal + " to " + endpoint
                        + (cause == null ? "" : " (" + cause + ")")
                        + "; telemetry is dropped while the collector is unreachable (queues are bounded)."
                        + " This warning is printed once.");
            }
        });
        return result;
    }
}
