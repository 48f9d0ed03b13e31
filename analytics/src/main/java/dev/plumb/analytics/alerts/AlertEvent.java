package dev.plumb.analytics.alerts;

import java.time.Instant;

/** A state change of a subscription, with the value observed and a sentence saying why. */
public record AlertEvent(String alertId, Instant at, String state, Double value, String message) {
}
