package dev.plumb.collector.alerts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What an alert watches, with its unit as users write thresholds. */
enum Signal {
    ERROR_RATE("error_rate", "fraction of requests"),
    LATENCY_P50("latency_p50", "ms"),
    LATENCY_P95("latency_p95", "ms"),
    LATENCY_P99("latency_p99", "ms"),
    THROUGHPUT("throughput", "requests/s"),
    LOG_COUNT("log_count", "log records");

    private final String wire;
    private final String unit;

    Signal(String wire, String unit) {
        this.wire = wire;
        this.unit = unit;
    }

    String wire() {
        return wire;
    }

    String unit() {
        return unit;
    }

    boolean isLatency() {
        return this == LATENCY_P50 || this == LATENCY_P95 || this == LATENCY_P99;
    }

    /** The quantile of a latency signal (0.5, 0.95, 0.99). */
    double quantile() {
        return switch (this) {
            case LATENCY_P50 -> 0.5;
            case LATENCY_P95 -> 0.95;
            case LATENCY_P99 -> 0.99;
            default -> throw new IllegalStateException(wire + " is not a latency");
        };
    }

    static Optional<Signal> of(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(wire.toLowerCase(Locale.ROOT))).findFirst();
    }

    static String names() {
        return Arrays.stream(values()).map(Signal::wire).collect(Collectors.joining(", "));
    }
}
