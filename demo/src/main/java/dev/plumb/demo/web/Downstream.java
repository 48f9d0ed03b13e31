package dev.plumb.demo.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.MDC;

/**
 * An HTTP call to another demo service that carries the current trace as a W3C
 * {@code traceparent} header. Call it from a {@code @Monitor(kind = CLIENT)} method: the agent
 * puts that client span's ids in the MDC, so the callee's server span becomes its child.
 */
public final class Downstream {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final URI base;

    public Downstream(URI base) {
        this.base = base;
    }

    /** GETs {@code pathAndQuery}; a 402 throws {@link DeclinedException}, any other non-2xx {@link DownstreamException}, with the callee's body. */
    public String get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(5))
                .GET();
        String traceparent = traceparent();
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 402) {
            throw new DeclinedException(base.resolve(pathAndQuery), response.body());
        }
        if (response.statusCode() / 100 != 2) {
            throw new DownstreamException(base.resolve(pathAndQuery), response.statusCode(), response.body());
        }
        return response.body();
    }

    /** The W3C header for the span in the MDC, or null when no agent runs (then the callee starts a new trace). */
    static String traceparent() {
        String traceId = MDC.get("trace_id");
        String spanId = MDC.get("span_id");
        if (traceId == null || spanId == null) {
            return null;
        }
        String flags = MDC.get("trace_flags");
        return "00-" + traceId + "-" + spanId + "-" + (flags == null || flags.isBlank() ? "01" : flags);
    }
}
