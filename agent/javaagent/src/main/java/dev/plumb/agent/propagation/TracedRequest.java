package dev.plumb.agent.propagation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The application's request with trace context headers added: every accessor but
 * {@link #headers()} answers what the application's request answers (same body publisher
 * instance, method, timeout, version, {@code expectContinue}, URI), because it asks that request.
 * Delegating instead of copying with {@code HttpRequest.newBuilder(request, filter)} also keeps
 * what a builder cannot express, such as a request of the application's own {@code HttpRequest}
 * subclass that has no body publisher.
 *
 * <p>{@code HttpRequest.equals} is final and compares method, URI and headers. So this request
 * equals (with the same hash code) the request the application would have built with the added
 * headers, and never equals the application's own request, whose headers lack them. It is also
 * another object: {@code HttpResponse.request()} returns it, not the application's request.
 */
final class TracedRequest extends HttpRequest {

    private final HttpRequest request;
    private final HttpHeaders headers;

    /**
     * @param request the application's request
     * @param added   header names and values to add; a name the request already has (in any
     *                case) is replaced, since a {@code tracestate} belongs with its own {@code traceparent}
     */
    TracedRequest(HttpRequest request, Map<String, String> added) {
        this.request = request;
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(request.headers().map());
        added.forEach((name, value) -> all.put(name, List.of(value)));
        this.headers = HttpHeaders.of(all, (name, value) -> true);
    }

    @Override
    public Optional<BodyPublisher> bodyPublisher() {
        return request.bodyPublisher();
    }

    @Override
    public String method() {
        return request.method();
    }

    @Override
    public Optional<Duration> timeout() {
        return request.timeout();
    }

    @Override
    public boolean expectContinue() {
        return request.expectContinue();
    }

    @Override
    public URI uri() {
        return request.uri();
    }

    @Override
    public Optional<HttpClient.Version> version() {
        return request.version();
    }

    @Override
    public HttpHeaders headers() {
        return headers;
    }

    @Override
    public String toString() {
        return request.toString();
    }
}
