package dev.plumb.collector.alerts;

import dev.plumb.collector.DurationText;
import java.time.Duration;
import java.util.Map;

/**
 * How alerts are evaluated and delivered.
 *
 * @param evalInterval    how often every subscription is evaluated ({@code PLUMB_ALERT_EVAL_INTERVAL})
 * @param repeatInterval  how often a firing alert notifies again ({@code PLUMB_ALERT_REPEAT_INTERVAL}, default 4h)
 * @param minRequests     fewest requests in the window to judge a rate or a percentile
 * @param attempts        delivery tries per notification and channel
 * @param backoff         wait before the first retry, doubled for each next one
 */
public record AlertSettings(Duration evalInterval, Duration repeatInterval, long minRequests, int attempts,
                            Duration backoff) {
    public static final Duration DEFAULT_REPEAT = Duration.ofHours(4);
    public static final long DEFAULT_MIN_REQUESTS = 100;

    /** The defaults with {@code evalInterval}: repeat every 4h, 100 requests, 5 tries from 1s. */
    public static AlertSettings defaults(Duration evalInterval) {
        return new AlertSettings(evalInterval, DEFAULT_REPEAT, DEFAULT_MIN_REQUESTS, 5, Duration.ofSeconds(1));
    }

    /**
     * The defaults with {@code evalInterval}, and the repeat interval from
     * {@code PLUMB_ALERT_REPEAT_INTERVAL} when set; a value that does not parse, or is shorter
     * than the evaluation interval, is an IllegalArgumentException naming the variable.
     */
    public static AlertSettings fromEnvironment(Map<String, String> env, Duration evalInterval) {
        AlertSettings settings = defaults(evalInterval);
        String raw = env.get("PLUMB_ALERT_REPEAT_INTERVAL");
        if (raw == null || raw.isBlank()) {
            return settings;
        }
        Duration repeat;
        try {
            repeat = DurationText.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PLUMB_ALERT_REPEAT_INTERVAL: " + e.getMessage(), e);
        }
        if (repeat.compareTo(evalInterval) < 0) {
            throw new IllegalArgumentException("PLUMB_ALERT_REPEAT_INTERVAL " + raw.trim()
                    + " is shorter than the evaluation interval " + DurationText.format(evalInterval));
        }
        return settings.withRepeatInterval(repeat);
    }

    public AlertSettings withRepeatInterval(Duration value) {
        return new AlertSettings(evalInterval, value, minRequests, attempts, backoff);
    }

    public AlertSettings withBackoff(int tries, Duration first) {
        return new AlertSettings(evalInterval, repeatInterval, minRequests, tries, first);
    }
}
