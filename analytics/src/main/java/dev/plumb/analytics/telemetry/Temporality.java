package dev.plumb.analytics.telemetry;

/** Aggregation temporality of a sum or histogram, as in OTLP. */
public enum Temporality { UNSPECIFIED, DELTA, CUMULATIVE }
