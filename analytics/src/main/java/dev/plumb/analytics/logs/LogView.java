package dev.plumb.analytics.logs;

import java.time.Instant;
import java.util.Map;

/** A log record as a search returns it; {@code severity} is the text (ERROR, WARN, ...). */
public record LogView(Instant ts, String service, String severity, String body,
                      String traceId, String spanId, Map<String, Object> attributes) {
}
