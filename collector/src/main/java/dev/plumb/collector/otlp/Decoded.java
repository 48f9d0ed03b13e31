package dev.plumb.collector.otlp;

import dev.plumb.analytics.telemetry.TelemetryBatch;

/**
 * The rows decoded from one OTLP request, plus the records refused on the way (an invalid id,
 * a metric without data) and why, for the partial-success part of the response.
 */
record Decoded(TelemetryBatch batch, long rejected, String rejectionMessage) {
}
