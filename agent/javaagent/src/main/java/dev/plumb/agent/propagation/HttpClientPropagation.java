package dev.plumb.agent.propagation;

import dev.plumb.agent.runtime.AgentErrors;
import dev.plumb.agent.runtime.ThreadSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.net.http.HttpRequest;

/**
 * Adds W3C {@code traceparent} (and {@code tracestate}) to a request sent with the JDK's
 * {@code java.net.http.HttpClient} inside a monitored call, so the server's span joins the
 * caller's trace without code. A request is immutable, so it is copied with the headers added;
 * one that already carries a {@code traceparent} (set by the application) is sent unchanged.
 */
final class HttpClientPropagation extends HttpClientBridge {

    private static final String TRACEPARENT = "traceparent";

    /** Installs the propagation behind the bridge; call only once the bridge is in the bootstrap loader. */
    static void activate() {
        if (installed == null) {
            installed = new HttpClientPropagation();
        }
    }

    @Override
    protected HttpRequest withTraceContext(HttpRequest request) {
        try {
            Context context = ThreadSpans.currentContext();
            if (!Span.fromContext(context).getSpanContext().isValid()
                    || request.headers().firstValue(TRACEPARENT).isPresent()) {
                return request;
            }
            HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> true);
            W3CTraceContextPropagator.getInstance().inject(context, copy, (builder, key, value) -> builder.header(key, value));
            return copy.build();
        } catch (Throwable e) {
            AgentErrors.report("adding traceparent to an HttpClient request", e);
            return request;
        }
    }
}
