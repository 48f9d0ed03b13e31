package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.agent.OtlpReceiver.ReceivedSpan;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Requests sent with the JDK's HttpClient inside a monitored call carry its trace to the server. */
class HttpClientPropagationIT {

    private static final Pattern SEEN = Pattern.compile("SEEN sync=(\\S+) async=(\\S+) own=(\\S+) outside=(\\S+)");

    @Test
    void httpClientRequestsJoinTheCallersTrace() throws Exception {
        check(ForkedApp.javaHome());
    }

    @Test
    void httpClientRequestsJoinTheCallersTraceOnJava25() throws Exception {
        assumeTrue(Files.isExecutable(Paths.get(ForkedApp.JAVA_25)), "no Temurin 25 at " + ForkedApp.JAVA_25);
        check(ForkedApp.JAVA_25);
    }

    @Test
    void propagationCanBeTurnedOff() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Map<String, String> env = ForkedApp.quickExport(receiver.endpoint(), "client", 0);
            env.put("PLUMB_HTTP_CLIENT_PROPAGATION", "false");
            try (ForkedApp app = ForkedApp.start(env, "dev.plumb.testapp.ClientPropagationApp")) {
                assertThat(app.await(30)).as(app.stderr()).isZero();
                assertThat(app.stdout()).contains("SEEN sync=none async=none"
                        + " own=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 outside=none");
                // The calls are still monitored; only their requests go out as the application built them.
                assertThat(receiver.awaitSpan("Caller.call", Duration.ofSeconds(10)).kind()).isEqualTo("SPAN_KIND_CLIENT");
                assertThat(app.stderr()).doesNotContain("[plumb-agent] ERROR");
            }
        }
    }

    private static void check(String java) throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver();
                ForkedApp app = ForkedApp.start(java, ForkedApp.appClassPath(),
                        ForkedApp.quickExport(receiver.endpoint(), "client", 0), "dev.plumb.testapp.ClientPropagationApp")) {
            assertThat(app.await(30)).as(app.stderr()).isZero();
            Matcher seen = SEEN.matcher(app.stdout());
            assertThat(seen.find()).as(app.stdout() + app.stderr()).isTrue();
            assertThat(app.stderr()).doesNotContain("[plumb-agent] ERROR");

            long deadline = System.currentTimeMillis() + 10_000;
            while (receiver.spans.size() < 7 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            for (int i = 1; i <= 2; i++) {
                String method = i == 1 ? "Caller.call" : "Caller.callAsync";
                ReceivedSpan client = receiver.spans(span -> span.name().equals(method)).get(0);
                assertThat(client.kind()).isEqualTo("SPAN_KIND_CLIENT");
                assertThat(seen.group(i)).isEqualTo("00-" + client.traceId() + "-" + client.spanId() + "-03");
                List<ReceivedSpan> servers = receiver.spans(span -> span.name().equals("GET /echo")
                        && span.parentSpanId().equals(client.spanId()));
                assertThat(servers).as(method).hasSize(1);
                assertThat(servers.get(0).traceId()).isEqualTo(client.traceId());
            }
            // A traceparent the application set itself is left alone, and outside a monitored call none is added.
            assertThat(seen.group(3)).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            assertThat(seen.group(4)).isEqualTo("none");
            assertThat(receiver.spans(span -> span.name().equals("GET /echo")
                    && span.traceId().equals("0af7651916cd43dd8448eb211c80319c"))).hasSize(1);
            // The WebSocket handshake inside a monitored call keeps its upgrade headers (and gets no traceparent).
            assertThat(app.stdout()).contains("WEBSOCKET open upgrade=websocket traceparent=null");
        }
    }
}
