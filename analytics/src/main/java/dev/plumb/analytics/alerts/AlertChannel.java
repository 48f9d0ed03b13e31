package dev.plumb.analytics.alerts;

/**
 * Where an alert is delivered: {@code type} is {@code webhook}, {@code slack} or
 * {@code alertmanager}, {@code url} the receiver's address.
 */
public record AlertChannel(String type, String url) {
}
