package dev.plumb.analytics;

import java.time.Duration;

/**
 * The store's write queue has no room for a batch: the sender should retry after
 * {@link #retryAfter()} (the collector answers 503 or 429 with {@code Retry-After}).
 */
public final class StoreFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Duration retryAfter;

    public StoreFullException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
