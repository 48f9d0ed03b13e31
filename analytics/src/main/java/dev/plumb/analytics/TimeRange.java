package dev.plumb.analytics;

import java.time.Instant;
import java.util.Objects;

/** A half-open time window {@code [from, to)} that a query covers. */
public record TimeRange(Instant from, Instant to) {
    public TimeRange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("time range ends (" + to + ") before it starts (" + from + ")");
        }
    }

    public long fromNanos() {
        return from.getEpochSecond() * 1_000_000_000L + from.getNano();
    }

    public long toNanos() {
        return to.getEpochSecond() * 1_000_000_000L + to.getNano();
    }
}
