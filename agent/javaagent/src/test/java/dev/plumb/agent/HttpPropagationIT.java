package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.agent.OtlpReceiver.ReceivedSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JDK HttpHandlers become SERVER spans that continue the caller's traceparent. */
class HttpPropagationIT {

    @Test
    void handlerSpansJoinOneTraceAcrossHttpCalls() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver();
                ForkedApp app = ForkedApp.start(ForkedApp.quickExport(receiver.endpoint(), "front", 0),
                        "dev.plumb.testapp.HttpApp")) {
            assertThat(app.await(30)).as(app.stderr()).isZero();
            assertThat(app.stdout()).contains("FRONT 200 back said 200", "FRONT 200 back said 500");
            waitForSpans(receiver, 6);

            List<ReceivedSpan> fronts = receiver.spans(span -> span.name().equals("GET /front"));
            List<ReceivedSpan> clients = receiver.spans(span -> span.name().equals("BackClient.call"));
            List<ReceivedSpan> backs = receiver.spans(span -> span.name().equals("GET /back"));
            assertThat(fronts).hasSize(2);
            assertThat(clients).hasSize(2);
            assertThat(backs).hasSize(2);
            for (ReceivedSpan front : fronts) {
                assertThat(front.kind()).isEqualTo("SPAN_KIND_SERVER");
                assertThat(front.parentSpanId()).isEmpty();
                assertThat(front.attributes())
                        .containsEntry("code.function.name", "dev.plumb.testapp.HttpApp$FrontHandler.handle")
                        .containsEntry("http.request.method", "GET")
                        .containsEntry("url.path", "/front")
                        .containsEntry("http.response.status_code", "200");
                ReceivedSpan client = clients.stream()
                        .filter(span -> span.parentSpanId().equals(front.spanId())).findFirst().orElseThrow();
                assertThat(client.kind()).isEqualTo("SPAN_KIND_CLIENT");
                ReceivedSpan back = backs.stream()
                        .filter(span -> span.parentSpanId().equals(client.spanId())).findFirst().orElseThrow();
                assertThat(back.traceId()).isEqualTo(front.traceId());
            }
            ReceivedSpan failed = backs.stream()
                    .filter(span -> span.attributes().get("http.response.status_code").equals("500"))
                    .findFirst().orElseThrow();
            assertThat(failed.statusCode()).isEqualTo(2);
        }
    }

    private static void waitForSpans(OtlpReceiver receiver, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (receiver.spans.size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }
}
