package dev.plumb.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RED per operation and metric queries, from spans and metrics sent by the real OpenTelemetry
 * SDK over OTLP/HTTP, read back through the API with exact figures; an exemplar of a latency
 * histogram leads to its trace.
 */
class OperationsAndMetricsApiTest {
    @TempDir
    static Path data;
    static Collector collector;
    static ApiClient api;
    static String exemplarTraceId;

    @BeforeAll
    static void sendTelemetry() {
        collector = Collector.start(PlumbConfig.defaults().onLoopbackFreePorts().withDataDir(data));
        api = new ApiClient(collector.httpPort());
        String http = "http://127.0.0.1:" + collector.otlpHttpPort();
        SdkTracerProvider tracing = SdkTelemetry.tracing("shop",
                OtlpHttpSpanExporter.builder().setEndpoint(http + "/v1/traces").build());
        SdkMeterProvider meters = SdkMeterProvider.builder().setResource(SdkTelemetry.resource("shop"))
                .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                        .setEndpoint(http + "/v1/metrics").build()).build())
                .registerView(InstrumentSelector.builder().setName("payment.amount").build(),
                        View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build())
                .build();
        Tracer tracer = tracing.get("test");
        var meter = meters.get("test");
        var latency = meter.histogramBuilder("checkout.duration").setUnit("ms").setDescription("checkout latency")
                .setExplicitBucketBoundariesAdvice(List.of(10.0, 20.0, 50.0)).build();
        var orders = meter.counterBuilder("orders").build();
        var amounts = meter.histogramBuilder("payment.amount").setUnit("EUR").build();
        meter.gaugeBuilder("queue.size").buildWithCallback(g -> g.record(7, Attributes.of(AttributeKey.stringKey("queue"), "mail")));

        long base = OtlpSdkExportTest.nanos(Instant.now().minusSeconds(900));
        long ms = 1_000_000L;
        long[] cartMs = {10, 20, 30, 40};
        for (int i = 0; i < cartMs.length; i++) {
            long start = base + i * 1_000 * ms;
            Span cart = tracer.spanBuilder("GET /cart").setSpanKind(SpanKind.SERVER)
                    .setStartTimestamp(start, TimeUnit.NANOSECONDS).startSpan();
            if (i == 2) {
                cart.setStatus(StatusCode.ERROR, "cart service unavailable");
            }
            cart.end(start + cartMs[i] * ms, TimeUnit.NANOSECONDS);
        }
        long[] orderMs = {100, 300};
        for (int i = 0; i < orderMs.length; i++) {
            long start = base + (10 + i) * 1_000 * ms;
            Span order = tracer.spanBuilder("POST /order").setSpanKind(SpanKind.SERVER)
                    .setStartTimestamp(start, TimeUnit.NANOSECONDS).startSpan();
            // A nested @Monitor span of the same service: part of the request, never a request itself.
            tracer.spanBuilder("Orders.place").setParent(Context.root().with(order))
                    .setAttribute("code.function.name", "shop.Orders.place")
                    .setStartTimestamp(start + ms, TimeUnit.NANOSECONDS).startSpan()
                    .end(start + (orderMs[i] - 1) * ms, TimeUnit.NANOSECONDS);
            if (i == 1) {
                try (Scope scope = order.makeCurrent()) {
                    latency.record(45); // sampled span in context: the SDK keeps this as an exemplar
                }
                exemplarTraceId = order.getSpanContext().getTraceId();
            }
            order.end(start + orderMs[i] * ms, TimeUnit.NANOSECONDS);
        }
        for (double v : new double[] {12, 14, 16, 18, 19, 30, 35, 40, 50}) {
            latency.record(v);
        }
        orders.add(3, Attributes.of(AttributeKey.stringKey("outcome"), "ok"));
        orders.add(1, Attributes.of(AttributeKey.stringKey("outcome"), "error"));
        for (int i = 0; i < 3; i++) {
            amounts.record(0.25);
        }
        SdkTelemetry.flushed(tracing.forceFlush(), "spans over HTTP");
        SdkTelemetry.flushed(meters.forceFlush(), "metrics over HTTP");
        tracing.close();
        // Closing exports the cumulative points once more: the same totals, which must not count twice.
        meters.close();
    }

    @AfterAll
    static void stop() {
        collector.close();
    }

    static JsonNode operation(JsonNode answer, String name) {
        for (JsonNode op : answer.get("operations")) {
            if (op.get("operation").asText().equals(name)) {
                return op;
            }
        }
        throw new AssertionError("operation " + name + " is not in " + answer);
    }

    @Test
    void operationsOfAServiceHaveExactRequestsErrorsAndPercentiles() {
        JsonNode answer = api.json("/api/v1/services/shop/operations");
        assertThat(answer.get("service").asText()).isEqualTo("shop");
        List<String> names = new ArrayList<>();
        answer.get("operations").forEach(op -> names.add(op.get("operation").asText()));
        assertThat(names).containsExactly("GET /cart", "POST /order");

        JsonNode cart = operation(answer, "GET /cart");
        assertThat(cart.get("requests").asLong()).isEqualTo(4);
        assertThat(cart.get("errors").asLong()).isEqualTo(1);
        assertThat(cart.get("errorRate").asDouble()).isEqualTo(0.25);
        // quantile_cont over 10, 20, 30, 40 ms
        assertThat(cart.get("p50Ms").asDouble()).isCloseTo(25.0, within(1e-9));
        assertThat(cart.get("p95Ms").asDouble()).isCloseTo(38.5, within(1e-9));
        assertThat(cart.get("p99Ms").asDouble()).isCloseTo(39.7, within(1e-9));

        JsonNode order = operation(answer, "POST /order");
        assertThat(order.get("requests").asLong()).as("the nested @Monitor span is not a request").isEqualTo(2);
        assertThat(order.get("errors").asLong()).isZero();
        assertThat(order.get("p50Ms").asDouble()).isCloseTo(200.0, within(1e-9));
        assertThat(order.get("p99Ms").asDouble()).isCloseTo(298.0, within(1e-9));
    }

    @Test
    void redSeriesOfOneOperationCountsOnlyIt() {
        JsonNode red = api.json("/api/v1/services/shop/red?step=1h&operation=" + OtlpSdkExportTest.encode("GET /cart"));
        assertThat(red.get("operation").asText()).isEqualTo("GET /cart");
        assertThat(red.get("points")).hasSize(1);
        JsonNode point = red.get("points").get(0);
        assertThat(point.get("requests").asLong()).isEqualTo(4);
        assertThat(point.get("errors").asLong()).isEqualTo(1);
        assertThat(point.get("p50Ms").asDouble()).isCloseTo(25.0, within(1e-9));

        JsonNode all = api.json("/api/v1/services/shop/red?step=1h").get("points").get(0);
        assertThat(all.get("requests").asLong()).isEqualTo(6);
        JsonNode none = api.json("/api/v1/services/shop/red?step=1h&operation=nothing").get("points").get(0);
        assertThat(none.get("requests").asLong()).isZero();
    }

    @Test
    void metricListNamesTypeUnitDescriptionAndLabelKeys() {
        JsonNode metrics = api.json("/api/v1/metrics?service=shop").get("metrics");
        List<String> names = new ArrayList<>();
        metrics.forEach(m -> names.add(m.get("name").asText() + " " + m.get("type").asText()));
        // Sorted by name; the SDK adds a metric of its own (otel.sdk.metric_reader.collection.duration).
        assertThat(names).containsSubsequence("checkout.duration HISTOGRAM", "orders SUM",
                "payment.amount EXPONENTIAL_HISTOGRAM", "queue.size GAUGE");
        JsonNode latency = metrics.get(0);
        assertThat(latency.get("unit").asText()).isEqualTo("ms");
        assertThat(latency.get("description").asText()).isEqualTo("checkout latency");
        assertThat(latency.get("aggs").get(0).asText()).isEqualTo("p95");
        JsonNode orders = metrics.get(1);
        assertThat(orders.get("monotonic").asBoolean()).isTrue();
        assertThat(orders.get("labelKeys").toString()).isEqualTo("[\"outcome\"]");
        assertThat(orders.get("series").asLong()).isEqualTo(2);
        assertThat(orders.get("services").toString()).isEqualTo("[\"shop\"]");
        assertThat(api.json("/api/v1/metrics?service=nobody").get("metrics")).isEmpty();
    }

    @Test
    void counterSeriesCountsTheIncreaseOnceAcrossRepeatedCumulativeExports() {
        JsonNode increase = api.json("/api/v1/metrics/orders/series?service=shop&step=1h&agg=increase");
        assertThat(increase.get("type").asText()).isEqualTo("SUM");
        assertThat(increase.get("series").asInt()).isEqualTo(2);
        assertThat(increase.get("points")).hasSize(1);
        assertThat(increase.get("points").get(0).get("value").asDouble()).isEqualTo(4.0);
        JsonNode rate = api.json("/api/v1/metrics/orders/series?service=shop&step=1h");
        assertThat(rate.get("agg").asText()).isEqualTo("rate");
        assertThat(rate.get("points").get(0).get("value").asDouble()).isCloseTo(4.0 / 3600, within(1e-12));
        JsonNode ok = api.json("/api/v1/metrics/orders/series?step=1h&agg=increase&attr.outcome=ok");
        assertThat(ok.get("points").get(0).get("value").asDouble()).isEqualTo(3.0);
    }

    @Test
    void histogramPercentilesComeFromTheMergedBuckets() {
        // 12 14 16 18 19 | 30 35 40 45 50 in buckets (10,20] and (20,50], min 12, max 50, spread evenly.
        double[] expected = {20.0, 47.0, 49.4};
        String[] aggs = {"p50", "p95", "p99"};
        for (int i = 0; i < aggs.length; i++) {
            JsonNode series = api.json("/api/v1/metrics/checkout.duration/series?service=shop&step=1h&agg=" + aggs[i]);
            assertThat(series.get("points").get(0).get("value").asDouble()).as(aggs[i])
                    .isCloseTo(expected[i], within(1e-9));
        }
        JsonNode count = api.json("/api/v1/metrics/checkout.duration/series?step=1h&agg=count");
        assertThat(count.get("points").get(0).get("value").asDouble()).isEqualTo(10.0);
        JsonNode avg = api.json("/api/v1/metrics/checkout.duration/series?step=1h&agg=avg");
        assertThat(avg.get("points").get(0).get("value").asDouble()).isCloseTo(279.0 / 10, within(1e-9));
        JsonNode exponential = api.json("/api/v1/metrics/payment.amount/series?step=1h&agg=p99");
        assertThat(exponential.get("type").asText()).isEqualTo("EXPONENTIAL_HISTOGRAM");
        assertThat(exponential.get("points").get(0).get("value").asDouble()).isEqualTo(0.25);
    }

    @Test
    void exemplarLeadsFromTheLatencyHistogramToItsTrace() {
        JsonNode exemplars = api.json("/api/v1/metrics/checkout.duration/series?service=shop&step=1h").get("exemplars");
        assertThat(exemplars).hasSize(1);
        JsonNode exemplar = exemplars.get(0);
        assertThat(exemplar.get("value").asDouble()).isEqualTo(45.0);
        assertThat(exemplar.get("traceId").asText()).isEqualTo(exemplarTraceId);
        JsonNode trace = api.json("/api/v1/traces/" + exemplar.get("traceId").asText());
        assertThat(trace.get("spans").get(0).get("name").asText()).isEqualTo("POST /order");
        assertThat(trace.get("spans").get(0).get("spanId").asText()).isEqualTo(exemplar.get("spanId").asText());
    }

    @Test
    void gaugeSeriesAveragesItsPoints() {
        JsonNode gauge = api.json("/api/v1/metrics/queue.size/series?step=1h&attr.queue=mail");
        assertThat(gauge.get("agg").asText()).isEqualTo("avg");
        assertThat(gauge.get("points").get(0).get("value").asDouble()).isEqualTo(7.0);
        JsonNode empty = api.json("/api/v1/metrics/queue.size/series?step=1h&attr.queue=sms");
        assertThat(empty.get("series").asInt()).isZero();
        assertThat(empty.get("points").get(0).get("value").isNull()).isTrue();
    }

    @Test
    void badMetricQueriesNameTheParameter() {
        ApiClient.Answer agg = api.get("/api/v1/metrics/queue.size/series?agg=p95");
        assertThat(agg.status()).isEqualTo(400);
        assertThat(agg.json().get("field").asText()).isEqualTo("agg");
        assertThat(agg.json().get("hint").asText()).isEqualTo("use one of avg, min, max, sum");

        ApiClient.Answer unknown = api.get("/api/v1/metrics/no.such.metric/series");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("field").asText()).isEqualTo("name");

        ApiClient.Answer blankKey = api.get("/api/v1/metrics/orders/series?attr.=x");
        assertThat(blankKey.status()).isEqualTo(400);
        assertThat(blankKey.json().get("field").asText()).isEqualTo("attr.");

        ApiClient.Answer step = api.get("/api/v1/metrics/orders/series?step=1s&from=now-7d");
        assertThat(step.status()).isEqualTo(400);
        assertThat(step.json().get("field").asText()).isEqualTo("step");
    }
}
