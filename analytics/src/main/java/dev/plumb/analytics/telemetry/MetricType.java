package dev.plumb.analytics.telemetry;

/** The OTLP data point kinds; exponential histograms are stored with explicit bucket bounds. */
public enum MetricType { GAUGE, SUM, HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY }
