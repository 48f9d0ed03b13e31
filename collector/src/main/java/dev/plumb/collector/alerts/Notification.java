package dev.plumb.collector.alerts;

import dev.plumb.analytics.alerts.AlertSubscription;
import dev.plumb.collector.DurationText;
import java.time.Instant;

/**
 * One message about an alert: it started firing, still fires (a bounded repeat) or resolved.
 *
 * @param startsAt     when it started firing
 * @param at           when this message was decided
 * @param generatorUrl the subscription in Plumb's API
 */
record Notification(AlertSubscription alert, Kind kind, double value, Instant startsAt, Instant at,
                    String generatorUrl) {

    /** Why the notification is sent. */
    enum Kind { FIRING, REPEAT, RESOLVED }

    boolean resolved() {
        return kind == Kind.RESOLVED;
    }

    /** One line a person reads in a chat or a pager. */
    String summary() {
        Signal signal = Signal.of(alert.signal()).orElseThrow();
        String what = alert.signal() + " of " + alert.service() + " is " + format(value) + " " + signal.unit()
                + " over the last " + DurationText.format(alert.window());
        return switch (kind) {
            case FIRING -> "FIRING " + alert.name() + ": " + what + " (" + alert.op() + " " + format(alert.threshold()) + ")";
            case REPEAT -> "STILL FIRING " + alert.name() + " since " + startsAt + ": " + what
                    + " (" + alert.op() + " " + format(alert.threshold()) + ")";
            case RESOLVED -> "RESOLVED " + alert.name() + ": " + what;
        };
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        // Four significant digits, without trailing zeros: 0.2, 0.0125, 312.5.
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
