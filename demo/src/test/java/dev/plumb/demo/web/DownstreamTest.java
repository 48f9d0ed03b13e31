package dev.plumb.demo.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class DownstreamTest {

    private HttpServer callee;
    private final AtomicReference<String> receivedTraceparent = new AtomicReference<>();
    private final AtomicReference<Integer> status = new AtomicReference<>(200);

    @BeforeEach
    void startCallee() throws IOException {
        callee = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        callee.createContext("/", exchange -> {
            receivedTraceparent.set(exchange.getRequestHeaders().getFirst("traceparent"));
            byte[] body = "{\"error\":\"issuer declined\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        callee.start();
    }

    @AfterEach
    void stop() {
        callee.stop(0);
        MDC.clear();
    }

    private Downstream downstream() {
        return new Downstream(URI.create("http://127.0.0.1:" + callee.getAddress().getPort()));
    }

    @Test
    void sendsTheSpanInTheMdcAsW3cTraceparent() throws Exception {
        MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        MDC.put("span_id", "00f067aa0ba902b7");
        MDC.put("trace_flags", "01");

        downstream().get("/charge?order=o-1");

        assertThat(receivedTraceparent.get()).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    }

    @Test
    void keepsTheSamplingDecisionOfTheCaller() throws Exception {
        MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        MDC.put("span_id", "00f067aa0ba902b7");
        MDC.put("trace_flags", "00");

        downstream().get("/charge");

        assertThat(receivedTraceparent.get()).endsWith("-00");
    }

    @Test
    void withoutAnAgentSendsNoTraceparent() throws Exception {
        downstream().get("/charge");

        assertThat(receivedTraceparent.get()).isNull();
    }

    @Test
    void declineIsADeclinedExceptionAndOtherErrorsADownstreamException() {
        status.set(402);
        assertThatThrownBy(() -> downstream().get("/charge")).isInstanceOf(DeclinedException.class)
                .hasMessage("/charge answered 402: {\"error\":\"issuer declined\"}");

        status.set(502);
        assertThatThrownBy(() -> downstream().get("/charge")).isExactlyInstanceOf(DownstreamException.class)
                .satisfies(e -> assertThat(((DownstreamException) e).status()).isEqualTo(502));
    }
}
