package dev.plumb.analytics.alerts;

import java.time.Instant;

/**
 * Where a subscription is in its life: {@code state} is {@code inactive}, {@code pending},
 * {@code firing} or {@code resolved}; {@code since} when it entered that state (null before
 * the first evaluation); {@code lastNotified} the last notification sent while firing.
 */
public record AlertStatus(String state, Instant since, Instant lastNotified, Double value) {
    /** A subscription never evaluated. */
    public static AlertStatus initial() {
        return new AlertStatus("inactive", null, null, null);
    }
}
