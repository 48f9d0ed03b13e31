package dev.plumb.analytics.servicemap;

/** Calls from one service to another over a window, seen as parent/child spans that cross services. */
public record ServiceEdge(String from, String to, long calls, long errors, double p95Ms) {
}
