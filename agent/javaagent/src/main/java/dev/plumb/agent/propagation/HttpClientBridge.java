package dev.plumb.agent.propagation;

import java.net.http.HttpRequest;

/**
 * The one agent class the JDK's HTTP client calls: the agent puts it into the bootstrap class
 * loader (the client's own loader can see nothing else of the agent) and installs its
 * implementation in {@link #installed}; it must therefore refer to nothing but JDK types.
 */
public abstract class HttpClientBridge {

    /** The propagation that outgoing requests go through; null until the agent installs it. */
    public static volatile HttpClientBridge installed;

    /**
     * Called first thing in {@code HttpClientImpl.send} and {@code sendAsync}.
     *
     * @return the request to send: the same one, or a copy carrying the current trace context
     */
    public static HttpRequest outgoing(HttpRequest request) {
        HttpClientBridge bridge = installed;
        return bridge == null || request == null ? request : bridge.withTraceContext(request);
    }

    /** The request with the calling thread's trace context added when it has none; never throws. */
    protected abstract HttpRequest withTraceContext(HttpRequest request);
}
