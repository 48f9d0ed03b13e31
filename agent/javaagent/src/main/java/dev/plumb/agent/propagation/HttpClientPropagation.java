package dev.plumb.agent.propagation;

import dev.plumb.agent.runtime.AgentErrors;
import dev.plumb.agent.runtime.ThreadSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds W3C {@code traceparent} (and {@code tracestate}) to a request sent with the JDK's
 * {@code java.net.http.HttpClient} inside a monitored call, so the server's span joins the
 * caller's trace without code. A request is immutable, so the client is handed a
 * {@link TracedRequest} in its place; one that already carries a {@code traceparent} (set by
 * the application) is sent unchanged.
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
            return withContext(request, ThreadSpans.currentContext());
        } catch (Throwable e) {
            AgentErrors.report("adding traceparent to an HttpClient request", e);
            return request;
        }
    }

    /** The request carrying {@code context}'s span, or the request itself when it must go out as it is. */
    static HttpRequest withContext(HttpRequest request, Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()
                || request.headers().firstValue(TRACEPARENT).isPresent()
                || isClientsOwn(request)) {
            return request;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        W3CTraceContextPropagator.getInstance().inject(context, headers, Map::put);
        return new TracedRequest(request, headers);
    }

    /**
     * True for the client's own request type (not the builder's): the WebSocket opening handshake
     * sends one whose {@code Upgrade} headers, proxy and WebSocket flag no {@code HttpRequest}
     * method exposes, so any request in its place would break the handshake. The other way an
     * application holds one, {@code HttpResponse.request()}, already carries the first send's headers.
     */
    private static boolean isClientsOwn(HttpRequest request) {
        return request.getClass().getName().equals("jdk.internal.net.http.HttpRequestImpl");
    }
}
