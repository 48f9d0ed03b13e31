package dev.plumb.collector.alerts;

import java.util.Arrays;
import java.util.Optional;

/** The operator of an alert condition, {@code value op threshold}. */
enum Comparison {
    GT(">"), GE(">="), LT("<"), LE("<=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    String symbol() {
        return symbol;
    }

    /** True for {@code >} and {@code >=}: the alert fires when the value grows. */
    boolean upward() {
        return this == GT || this == GE;
    }

    boolean holds(double value, double threshold) {
        return switch (this) {
            case GT -> value > threshold;
            case GE -> value >= threshold;
            case LT -> value < threshold;
            case LE -> value <= threshold;
        };
    }

    static Optional<Comparison> of(String symbol) {
        return Arrays.stream(values()).filter(c -> c.symbol.equals(symbol)).findFirst();
    }
}
