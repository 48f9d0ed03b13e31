package dev.plumb.agent;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A loopback OTLP/HTTP protobuf receiver that decodes what the agent sends with the real proto classes. */
final class OtlpReceiver implements AutoCloseable {

    record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
            String kind, long startNanos, long endNanos, int statusCode, Map<String, String> attributes,
            List<String> events) {
        long durationMillis() {
            return (endNanos - startNanos) / 1_000_000;
        }
    }

    record ReceivedLog(String service, String severityText, String body, String traceId, String spanId,
            Map<String, String> attributes, int severityNumber, String scope) {
    }

    record ReceivedPoint(String metric, String unit, Map<String, String> attributes, long count) {
    }

    private final HttpServer server;
    final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    final List<ReceivedLog> logs = new CopyOnWriteArrayList<>();
    final List<ReceivedPoint> points = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
                for (ResourceSpans resource : request.getResourceSpansList()) {
                    String service = attributes(resource.getResource().getAttributesList()).get("service.name");
                    for (ScopeSpans scope : resource.getScopeSpansList()) {
                        for (Span span : scope.getSpansList()) {
                            spans.add(new ReceivedSpan(service, hex(span.getTraceId().toByteArray()),
                                    hex(span.getSpanId().toByteArray()), hex(span.getParentSpanId().toByteArray()),
                                    span.getName(), span.getKind().name(), span.getStartTimeUnixNano(),
                                    span.getEndTimeUnixNano(), span.getStatus().getCodeValue(),
                                    attributes(span.getAttributesList()),
                                    span.getEventsList().stream().map(Span.Event::getName).toList()));
                        }
                    }
                }
            }
            ok(exchange);
        });
        server.createContext("/v1/logs", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(body);
                for (ResourceLogs resource : request.getResourceLogsList()) {
                    String service = attributes(resource.getResource().getAttributesList()).get("service.name");
                    for (ScopeLogs scope : resource.getScopeLogsList()) {
                        for (LogRecord log : scope.getLogRecordsList()) {
                            logs.add(new ReceivedLog(service, log.getSeverityText(), log.getBody().getStringValue(),
                                    hex(log.getTraceId().toByteArray()), hex(log.getSpanId().toByteArray()),
                                    attributes(log.getAttributesList()), log.getSeverityNumberValue(),
                                    scope.getScope().getName()));
                        }
                    }
                }
            }
            ok(exchange);
        });
        server.createContext("/v1/metrics", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(body);
                for (ResourceMetrics resource : request.getResourceMetricsList()) {
                    for (ScopeMetrics scope : resource.getScopeMetricsList()) {
                        for (Metric metric : scope.getMetricsList()) {
                            for (HistogramDataPoint point : metric.getHistogram().getDataPointsList()) {
                                points.add(new ReceivedPoint(metric.getName(), metric.getUnit(),
                                        attributes(point.getAttributesList()), point.getCount()));
                            }
                        }
                    }
                }
            }
            ok(exchange);
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ReceivedSpan> spans(Predicate<ReceivedSpan> filter) {
        return spans.stream().filter(filter).toList();
    }

    ReceivedSpan awaitSpan(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ReceivedSpan span : spans) {
                if (span.name().equals(name)) {
                    return span;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no span named " + name + " within " + timeout + "; received "
                + spans.stream().map(ReceivedSpan::name).collect(Collectors.toList()));
    }

    ReceivedLog awaitLog(Predicate<ReceivedLog> filter, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ReceivedLog log : logs) {
                if (filter.test(log)) {
                    return log;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no matching log within " + timeout + "; received " + logs);
    }

    private static void ok(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, 0);
        exchange.close();
    }

    private static Map<String, String> attributes(List<KeyValue> values) {
        Map<String, String> result = new LinkedHashMap<>();
        for (KeyValue value : values) {
            AnyValue any = value.getValue();
            result.put(value.getKey(), switch (any.getValueCase()) {
                case INT_VALUE -> Long.toString(any.getIntValue());
                case BOOL_VALUE -> Boolean.toString(any.getBoolValue());
                case DOUBLE_VALUE -> Double.toString(any.getDoubleValue());
                default -> any.getStringValue();
            });
        }
        return result;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
