package dev.plumb.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry from the real OpenTelemetry Java SDK exporters (OTLP/HTTP protobuf, OTLP/gRPC with
 * gzip, and the SDK's own OTLP JSON encoding), read back through the API with exact figures.
 */
class OtlpSdkExportTest {
    @TempDir
    static Path data;
    static Collector collector;
    static ApiClient api;
    static String declinedTraceId;
    static String failedPaymentTraceId;

    @BeforeAll
    static void sendTelemetry() throws IOException {
        collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data));
        api = new ApiClient(collector.httpPort());
        String http = "http://127.0.0.1:" + collector.otlpHttpPort();
        String grpc = "http://127.0.0.1:" + collector.otlpGrpcPort();

        SdkTracerProvider checkout = SdkTelemetry.tracing("checkout",
                OtlpHttpSpanExporter.builder().setEndpoint(http + "/v1/traces").build());
        SdkTracerProvider payment = SdkTelemetry.tracing("payment",
                OtlpGrpcSpanExporter.builder().setEndpoint(grpc).setCompression("gzip").build());
        SdkLoggerProvider checkoutLogs = SdkTelemetry.logging("checkout",
                OtlpHttpLogRecordExporter.builder().setEndpoint(http + "/v1/logs").setCompression("gzip").build());
        SdkLoggerProvider paymentLogs = SdkTelemetry.logging("payment",
                OtlpGrpcLogRecordExporter.builder().setEndpoint(grpc).build());
        Tracer checkoutTracer = checkout.get("test");
        Tracer paymentTracer = payment.get("test");
        Logger checkoutLog = checkoutLogs.get("test");
        Logger paymentLog = paymentLogs.get("test");

        long base = nanos(Instant.now().minusSeconds(600));
        long ms = 1_000_000L;
        for (int i = 0; i < 10; i++) {
            long start = base + i * 1_000 * ms;
            Span root = checkoutTracer.spanBuilder("POST /checkout").setSpanKind(SpanKind.SERVER)
                    .setStartTimestamp(start, TimeUnit.NANOSECONDS).setAttribute("http.route", "/checkout").startSpan();
            Span client = checkoutTracer.spanBuilder("POST payment").setSpanKind(SpanKind.CLIENT)
                    .setParent(Context.root().with(root)).setStartTimestamp(start + ms, TimeUnit.NANOSECONDS).startSpan();
            Span server = paymentTracer.spanBuilder("POST /pay").setSpanKind(SpanKind.SERVER)
                    .setParent(Context.root().with(client)).setStartTimestamp(start + 2 * ms, TimeUnit.NANOSECONDS)
                    .startSpan();
            checkoutLog.logRecordBuilder().setSeverity(Severity.INFO).setBody("checkout started")
                    .setTimestamp(start, TimeUnit.NANOSECONDS).setContext(Context.root().with(root)).emit();
            if (i == 7) {
                server.setStatus(StatusCode.ERROR, "card network timeout");
                paymentLog.logRecordBuilder().setSeverity(Severity.WARN).setBody("slow card network")
                        .setAttribute(AttributeKey.longKey("http.status_code"), 504L)
                        .setTimestamp(start + 3 * ms, TimeUnit.NANOSECONDS).setContext(Context.root().with(server)).emit();
                failedPaymentTraceId = root.getSpanContext().getTraceId();
            }
            server.end(start + 7 * ms, TimeUnit.NANOSECONDS);
            client.end(start + 8 * ms, TimeUnit.NANOSECONDS);
            if (i == 3) {
                checkoutLog.logRecordBuilder().setSeverity(Severity.ERROR).setBody("checkout failed: card declined")
                        .setTimestamp(start + 9 * ms, TimeUnit.NANOSECONDS).setContext(Context.root().with(root)).emit();
                declinedTraceId = root.getSpanContext().getTraceId();
            }
            if (i == 3 || i == 7) {
                root.setStatus(StatusCode.ERROR);
            }
            root.end(start + (i + 1) * 10 * ms, TimeUnit.NANOSECONDS);
        }
        SdkTelemetry.flushed(checkout.forceFlush(), "checkout spans over HTTP");
        SdkTelemetry.flushed(payment.forceFlush(), "payment spans over gRPC");
        SdkTelemetry.flushed(checkoutLogs.forceFlush(), "checkout logs over HTTP with gzip");
        SdkTelemetry.flushed(paymentLogs.forceFlush(), "payment logs over gRPC");
        for (var closeable : List.of(checkout, payment, checkoutLogs, paymentLogs)) {
            closeable.close();
        }

        // The SDK's own OTLP JSON encoder (hex ids, int64 as strings), posted as a JSON client would.
        SdkTelemetry.Captured captured = new SdkTelemetry.Captured();
        try (SdkTracerProvider inventory = SdkTelemetry.tracing("inventory", captured)) {
            for (int i = 0; i < 3; i++) {
                long start = base + i * 1_000 * ms;
                inventory.get("test").spanBuilder("GET /stock").setSpanKind(SpanKind.SERVER)
                        .setStartTimestamp(start, TimeUnit.NANOSECONDS).startSpan()
                        .end(start + 4 * ms, TimeUnit.NANOSECONDS);
            }
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        TraceRequestMarshaler.create(new ArrayList<>(captured.spans)).writeJsonTo(json);
        ApiClient otlp = new ApiClient(collector.otlpHttpPort());
        ApiClient.Answer answer = otlp.post("/v1/traces", "application/json", null, json.toByteArray());
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(answer.text()).isEqualTo("{}");
    }

    @AfterAll
    static void stop() {
        collector.close();
    }

    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    static JsonNode service(String name) {
        for (JsonNode s : api.json("/api/v1/services?from=now-1h").get("services")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("service " + name + " is not in /api/v1/services");
    }

    @Test
    void servicesShowExactRequestsErrorsAndPercentiles() {
        JsonNode checkout = service("checkout");
        assertThat(checkout.get("requests").asLong()).isEqualTo(10);
        assertThat(checkout.get("errors").asLong()).isEqualTo(2);
        assertThat(checkout.get("errorRate").asDouble()).isCloseTo(0.2, within(1e-9));
        // durations 10, 20, ... 100 ms; quantile_cont interpolates between neighbours
        assertThat(checkout.get("p50Ms").asDouble()).isCloseTo(55.0, within(1e-6));
        assertThat(checkout.get("p95Ms").asDouble()).isCloseTo(95.5, within(1e-6));
        assertThat(checkout.get("p99Ms").asDouble()).isCloseTo(99.1, within(1e-6));

        JsonNode payment = service("payment");
        assertThat(payment.get("requests").asLong()).isEqualTo(10);
        assertThat(payment.get("errors").asLong()).isEqualTo(1);
        assertThat(payment.get("p99Ms").asDouble()).isCloseTo(5.0, within(1e-6));

        JsonNode inventory = service("inventory");
        assertThat(inventory.get("requests").asLong()).isEqualTo(3);
        assertThat(inventory.get("p50Ms").asDouble()).isCloseTo(4.0, within(1e-6));
    }

    @Test
    void redSeriesCountsEveryRequestOnce() {
        JsonNode red = api.json("/api/v1/services/checkout/red?from=now-1h&step=5m");
        long requests = 0;
        long errors = 0;
        for (JsonNode p : red.get("points")) {
            requests += p.get("requests").asLong();
            errors += p.get("errors").asLong();
            assertThat(Instant.parse(p.get("ts").asText())).isNotNull();
        }
        assertThat(red.get("points")).hasSize(12);
        assertThat(requests).isEqualTo(10);
        assertThat(errors).isEqualTo(2);
    }

    @Test
    void errorLogsCarryTheTraceIdOfTheirSpan() {
        JsonNode logs = api.json("/api/v1/logs?q=status:error").get("logs");
        assertThat(logs).hasSize(1);
        assertThat(logs.get(0).get("service").asText()).isEqualTo("checkout");
        assertThat(logs.get(0).get("severity").asText()).isEqualTo("ERROR");
        assertThat(logs.get(0).get("body").asText()).isEqualTo("checkout failed: card declined");
        assertThat(logs.get(0).get("traceId").asText()).isEqualTo(declinedTraceId);
        assertThat(logs.get(0).get("spanId").asText()).hasSize(16);

        assertThat(api.json("/api/v1/logs?q=service:checkout&limit=100").get("logs")).hasSize(11);
        JsonNode warn = api.json("/api/v1/logs?q=" + encode("service:payment AND http.status_code>=500")).get("logs");
        assertThat(warn).hasSize(1);
        assertThat(warn.get(0).get("body").asText()).isEqualTo("slow card network");
        assertThat(warn.get(0).get("attributes").get("http.status_code").asLong()).isEqualTo(504);
    }

    @Test
    void traceTreeCrossesServicesAndCarriesItsLogs() {
        JsonNode trace = api.json("/api/v1/traces/" + failedPaymentTraceId);
        assertThat(trace.get("spans")).hasSize(1);
        JsonNode root = trace.get("spans").get(0);
        assertThat(root.get("service").asText()).isEqualTo("checkout");
        assertThat(root.get("name").asText()).isEqualTo("POST /checkout");
        assertThat(root.get("parentSpanId").asText()).isEmpty();
        assertThat(root.get("durationMs").asDouble()).isCloseTo(80.0, within(1e-6));
        assertThat(root.get("status").asText()).isEqualTo("ERROR");
        assertThat(root.get("attributes").get("http.route").asText()).isEqualTo("/checkout");
        JsonNode client = root.get("children").get(0);
        assertThat(client.get("name").asText()).isEqualTo("POST payment");
        assertThat(client.get("parentSpanId").asText()).isEqualTo(root.get("spanId").asText());
        JsonNode pay = client.get("children").get(0);
        assertThat(pay.get("service").asText()).isEqualTo("payment");
        assertThat(pay.get("status").asText()).isEqualTo("ERROR");
        assertThat(pay.get("durationMs").asDouble()).isCloseTo(5.0, within(1e-6));
        assertThat(Instant.parse(pay.get("startTs").asText())).isNotNull();

        List<String> bodies = new ArrayList<>();
        trace.get("logs").forEach(l -> bodies.add(l.get("body").asText()));
        assertThat(bodies).containsExactly("checkout started", "slow card network");
    }

    @Test
    void traceSearchFiltersByServiceAndDuration() {
        JsonNode traces = api.json("/api/v1/traces?service=checkout&minDurationMs=85&limit=50").get("traces");
        assertThat(traces).hasSize(2);
        for (JsonNode t : traces) {
            assertThat(t.get("rootService").asText()).isEqualTo("checkout");
            assertThat(t.get("rootName").asText()).isEqualTo("POST /checkout");
            assertThat(t.get("spanCount").asInt()).isEqualTo(3);
            assertThat(t.get("durationMs").asDouble()).isGreaterThanOrEqualTo(90.0);
        }
    }

    @Test
    void serviceMapShowsCallsFromCheckoutToPayment() {
        JsonNode edges = api.json("/api/v1/service-map").get("edges");
        assertThat(edges).hasSize(1);
        JsonNode edge = edges.get(0);
        assertThat(edge.get("from").asText()).isEqualTo("checkout");
        assertThat(edge.get("to").asText()).isEqualTo("payment");
        assertThat(edge.get("calls").asLong()).isEqualTo(10);
        assertThat(edge.get("errors").asLong()).isEqualTo(1);
        assertThat(edge.get("p95Ms").asDouble()).isCloseTo(5.0, within(1e-6));
    }

    @Test
    void metricsOfEveryKindAreStoredAndCounted() {
        long before = collector.store().stats().metricPointsWritten();
        OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                .setEndpoint("http://127.0.0.1:" + collector.otlpHttpPort() + "/v1/metrics")
                .setDefaultAggregationSelector(DefaultAggregationSelector.getDefault()
                        .with(InstrumentType.HISTOGRAM, Aggregation.base2ExponentialBucketHistogram()))
                .build();
        try (SdkMeterProvider meters = SdkMeterProvider.builder().setResource(SdkTelemetry.resource("checkout"))
                .registerMetricReader(PeriodicMetricReader.builder(exporter).build()).build()) {
            var meter = meters.get("test");
            var orders = meter.counterBuilder("orders").build();
            orders.add(3, Attributes.of(AttributeKey.stringKey("outcome"), "ok"));
            orders.add(1, Attributes.of(AttributeKey.stringKey("outcome"), "error"));
            var latency = meter.histogramBuilder("checkout.duration").setUnit("s").build();
            for (double v : new double[] {0.01, 0.02, 0.5}) {
                latency.record(v);
            }
            meter.gaugeBuilder("queue.size").buildWithCallback(g -> g.record(7));
            SdkTelemetry.flushed(meters.forceFlush(), "metrics over HTTP");
            // two counter series, one exponential histogram, one gauge; closing the SDK exports again.
            // Acknowledged means in the ingest log: the loader writes them to DuckDB just after.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(collector.store().stats().metricPointsWritten() - before).isEqualTo(4));
            assertThat(api.get("/metrics").text())
                    .contains("plumb_otlp_accepted_records_total{signal=\"metrics\",transport=\"http\"} 4.0");
        }
    }

    @Test
    void ownMetricsCountAcceptedRecordsPerTransport() {
        String metrics = api.get("/metrics").text();
        assertThat(metrics).contains("plumb_otlp_accepted_records_total{signal=\"traces\",transport=\"http\"} 23.0");
        assertThat(metrics).contains("plumb_otlp_accepted_records_total{signal=\"traces\",transport=\"grpc\"} 10.0");
        assertThat(metrics).contains("plumb_otlp_accepted_records_total{signal=\"logs\",transport=\"grpc\"} 1.0");
        assertThat(metrics).contains("plumb_otlp_accepted_records_total{signal=\"logs\",transport=\"http\"} 11.0");
        assertThat(metrics).contains("plumb_store_queue_depth 0.0");
        assertThat(metrics).contains("plumb_store_write_seconds_count{signal=\"traces\"}");
    }

    static String encode(String q) {
        return java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8);
    }
}
