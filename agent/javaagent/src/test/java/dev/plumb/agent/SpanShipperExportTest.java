package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.sun.net.httpserver.HttpServer;
import dev.plumb.agent.OtlpReceiver.ReceivedSpan;
import dev.plumb.agent.trace.EndedSpan;
import dev.plumb.agent.trace.ExportedSpan;
import dev.plumb.agent.trace.SpanIds;
import dev.plumb.agent.trace.SpanShipper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The agent's own span data goes through the SDK's real OTLP/HTTP exporter and reads back, decoded
 * with the OTLP proto classes, with the ids, parent, times, status, attributes and events it had.
 */
class SpanShipperExportTest {

    /** A span as the call path would end it: times as {@code nanoTime} readings, ids as longs. */
    private record TestSpan(String name, long high, long low, long spanId, long parentId, long start, long end,
            boolean failed) implements EndedSpan {
        @Override
        public ExportedSpan toSpanData(long anchor, Resource resource, InstrumentationScopeInfo scope) {
            String traceId = SpanIds.hex(high, low);
            SpanContext parent = parentId == 0 ? SpanContext.getInvalid()
                    : SpanContext.createFromRemoteParent(traceId, SpanIds.hex(parentId), TraceFlags.getSampled(),
                            TraceState.getDefault());
            return new ExportedSpan(name, SpanKind.SERVER,
                    SpanContext.create(traceId, SpanIds.hex(spanId), TraceFlags.getSampled(), TraceState.getDefault()),
                    parent, failed ? StatusData.create(StatusCode.ERROR, "boom") : StatusData.unset(),
                    anchor + start, anchor + end,
                    Attributes.of(AttributeKey.stringKey("code.function.name"), "a.B." + name),
                    failed ? List.of(EventData.create(anchor + end, "exception", Attributes.of(
                            AttributeKey.stringKey("exception.type"), "java.lang.IllegalStateException")))
                            : List.of(),
                    resource, scope);
        }
    }

    @Test
    void endedSpansReachAnOtlpReceiverAsTheyWereRecorded() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            SpanShipper shipper = SpanShipper.start(
                    OtlpHttpSpanExporter.builder().setEndpoint(receiver.endpoint() + "/v1/traces").build(),
                    Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "shipped")),
                    InstrumentationScopeInfo.create("dev.plumb.agent"), 64, 8, Duration.ofMillis(50),
                    Duration.ofSeconds(5), message -> { });
            long now = System.nanoTime();
            long high = 0x0123456789abcdefL;
            long low = 0xfedcba9876543210L;
            for (int i = 1; i <= 20; i++) {
                shipper.add(new TestSpan("call" + i, high, low, i, i == 1 ? 0 : 1, now, now + i * 1_000_000L, i == 2));
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (receiver.spans.size() < 20 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(shipper.shutdown().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();

            assertThat(receiver.spans).hasSize(20);
            ReceivedSpan root = receiver.awaitSpan("call1", Duration.ofSeconds(1));
            assertThat(root.service()).isEqualTo("shipped");
            assertThat(root.traceId()).isEqualTo("0123456789abcdeffedcba9876543210");
            assertThat(root.spanId()).isEqualTo("0000000000000001");
            assertThat(root.parentSpanId()).isEmpty();
            assertThat(root.kind()).isEqualTo("SPAN_KIND_SERVER");
            assertThat(root.endNanos() - root.startNanos()).isEqualTo(1_000_000L);
            assertThat(root.startNanos() / 1_000_000).isCloseTo(System.currentTimeMillis(), offset(60_000L));
            assertThat(root.attributes()).containsEntry("code.function.name", "a.B.call1");

            ReceivedSpan failed = receiver.awaitSpan("call2", Duration.ofSeconds(1));
            assertThat(failed.parentSpanId()).isEqualTo("0000000000000001");
            assertThat(failed.statusCode()).isEqualTo(2);
            assertThat(failed.events()).containsExactly("exception");
            assertThat(failed.endNanos() - failed.startNanos()).isEqualTo(2_000_000L);
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        // A collector that does not answer until the end: the export thread waits on it, the queue fills.
        CountDownLatch answer = new CountDownLatch(1);
        HttpServer stalled = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stalled.createContext("/v1/traces", exchange -> {
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        stalled.start();
        try {
            List<String> warnings = new CopyOnWriteArrayList<>();
            SpanShipper shipper = SpanShipper.start(
                    OtlpHttpSpanExporter.builder()
                            .setEndpoint("http://127.0.0.1:" + stalled.getAddress().getPort() + "/v1/traces")
                            .setTimeout(Duration.ofSeconds(30)).build(),
                    Resource.empty(), InstrumentationScopeInfo.create("t"), 100, 10, Duration.ofSeconds(10),
                    Duration.ofSeconds(30), warnings::add);
            long now = System.nanoTime();
            long began = System.nanoTime();
            for (int i = 1; i <= 10_000; i++) {
                shipper.add(new TestSpan("s", 1, 2, i, 0, now, now + 1, false));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(2));
            // At most one batch is in the exporter's hands, the ring holds 100 more.
            assertThat(shipper.dropped()).isBetween(10_000L - 110, 10_000L - 100);
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("span queue is full (100 spans");
        } finally {
            answer.countDown();
            stalled.stop(0);
        }
    }
}
