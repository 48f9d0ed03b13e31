package dev.plumb.analytics.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One alert subscription as stored: the condition ({@code signal op threshold} over
 * {@code window}, held for {@code forDuration}), its {@code severity} label, the log {@code query} of a {@code log_count}
 * signal (null otherwise), and where to notify.
 */
public record AlertSubscription(String id, String name, String service, String signal, String op, String severity,
                                double threshold, Duration window, Duration forDuration, String query,
                                List<AlertChannel> channels, Instant createdAt) {
    public AlertSubscription {
        channels = List.copyOf(channels);
    }
}
