package dev.plumb.collector.alerts;

import dev.plumb.analytics.alerts.AlertStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * The alert state machine, one evaluation at a time: inactive → pending when the condition
 * holds, pending → firing once it has held for {@code for} (notify), firing stays firing while
 * it holds (notify again every {@code repeat}), firing → resolved when it stops holding
 * (notify), pending → inactive when it stops holding before {@code for}, and resolved or
 * inactive → pending when it holds again.
 *
 * @param status       the status to save
 * @param event        the state to record as an event, or null when nothing happened
 * @param notification what to send, or null
 */
record AlertTransition(AlertStatus status, String event, Notification.Kind notification) {

    static AlertTransition next(AlertStatus current, boolean holds, double value, Instant now,
                                Duration forDuration, Duration repeat) {
        String state = current.state();
        Double v = value;
        if (state.equals("firing")) {
            if (!holds) {
                return new AlertTransition(new AlertStatus("resolved", now, now, v), "resolved", Notification.Kind.RESOLVED);
            }
            if (current.lastNotified() == null || !now.isBefore(current.lastNotified().plus(repeat))) {
                return new AlertTransition(new AlertStatus("firing", current.since(), now, v), "firing",
                        Notification.Kind.REPEAT);
            }
            return new AlertTransition(new AlertStatus("firing", current.since(), current.lastNotified(), v), null, null);
        }
        if (state.equals("pending")) {
            if (!holds) {
                return new AlertTransition(new AlertStatus("inactive", now, current.lastNotified(), v), "inactive", null);
            }
            if (!now.isBefore(current.since().plus(forDuration))) {
                return new AlertTransition(new AlertStatus("firing", now, now, v), "firing", Notification.Kind.FIRING);
            }
            return new AlertTransition(new AlertStatus("pending", current.since(), current.lastNotified(), v), null, null);
        }
        // inactive or resolved
        if (holds) {
            if (forDuration.isZero()) {
                return new AlertTransition(new AlertStatus("firing", now, now, v), "firing", Notification.Kind.FIRING);
            }
            return new AlertTransition(new AlertStatus("pending", now, current.lastNotified(), v), "pending", null);
        }
        return new AlertTransition(new AlertStatus(state, current.since(), current.lastNotified(), v), null, null);
    }
}
