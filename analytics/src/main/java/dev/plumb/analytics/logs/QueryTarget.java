package dev.plumb.analytics.logs;

/**
 * What a query in the log language is run against. The language is the same; the meaning of
 * free text and of the built-in fields differs: for {@link #LOGS} free text searches the body
 * and {@code status} is the severity; for {@link #SPANS} free text searches the span name,
 * {@code status} is the span status and {@code duration} the span's duration.
 */
public enum QueryTarget { LOGS, SPANS }
