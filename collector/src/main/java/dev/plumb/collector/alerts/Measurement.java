package dev.plumb.collector.alerts;

/** A signal's value over an alert's window, with the requests it was computed from. */
record Measurement(double value, long requests) {
}
