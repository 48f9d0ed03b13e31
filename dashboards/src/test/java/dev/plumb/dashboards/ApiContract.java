package dev.plumb.dashboards;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The read calls of PRODUCT.md's "HTTP API" table that the UI may use: each path under
 * /api/v1 with the query parameters and record fields the contract gives it (plus the name of
 * the list in the answer: {@code services}, {@code logs}, ... for answers that wrap it).
 */
record ApiContract(String path, Set<String> params, Set<String> fields) {

    private static final Set<String> WINDOW = Set.of("from", "to");

    static final Map<String, ApiContract> ENDPOINTS = Map.ofEntries(
            entry("/services", Set.of(),
                    Set.of("services", "name", "requests", "errors", "errorRate", "p50Ms", "p95Ms", "p99Ms")),
            entry("/services/{service}/red", Set.of("step"),
                    Set.of("points", "ts", "requests", "errors", "errorRate", "p50Ms", "p95Ms", "p99Ms")),
            entry("/logs", Set.of("q", "limit"),
                    Set.of("logs", "ts", "service", "severity", "body", "traceId", "spanId", "attributes")),
            // startTs is not in the table but in analytics' TraceSummary, which the API serialises.
            entry("/traces", Set.of("service", "q", "minDurationMs", "limit"),
                    Set.of("traces", "traceId", "rootService", "rootName", "startTs", "durationMs", "spanCount", "error")),
            entry("/traces/{traceId}", Set.of(),
                    Set.of("spans", "spanId", "parentSpanId", "service", "name", "startTs", "durationMs", "status",
                            "attributes", "children", "logs", "ts", "severity", "body", "traceId")),
            entry("/service-map", Set.of(), Set.of("edges", "from", "to", "calls", "errors", "p95Ms")),
            entry("/cost", Set.of("groupBy", "step"),
                    Set.of("rows", "group", "ts", "cpu", "memory", "storage", "network", "total", "podHours")),
            entry("/cost/drivers", Set.of("service", "baselineFrom", "baselineTo"),
                    Set.of("baselineTotal", "currentTotal", "delta", "drivers", "driver", "explanation")),
            entry("/cost/benchmark", Set.of("service"),
                    Set.of("service", "costPerHour", "costPer1kRequests", "rank", "peers")),
            entry("/alerts", Set.of(), Set.of()),
            entry("/alerts/{id}", Set.of(), Set.of()),
            entry("/alerts/{id}/events", Set.of(), Set.of("ts", "state", "value")),
            entry("/openapi.json", Set.of(), Set.of()));

    private static Map.Entry<String, ApiContract> entry(String path, Set<String> params, Set<String> fields) {
        return Map.entry(path, new ApiContract(path, params, fields));
    }

    static Optional<ApiContract> of(String path) {
        return Optional.ofNullable(ENDPOINTS.get(path));
    }

    /** Whether the call takes this query parameter; every call takes the time window. */
    boolean accepts(String param) {
        return params.contains(param) || WINDOW.contains(param);
    }
}
