package dev.plumb.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpClientPropagationTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";
    private static final URI URL = URI.create("http://127.0.0.1:8080/orders?id=7");

    private static Context context(TraceFlags flags, TraceState state) {
        return Context.root().with(Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, flags, state)));
    }

    @Test
    void sentRequestIsTheApplicationsWithTheTraceHeadersAdded() {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString("{\"qty\":2}");
        HttpRequest original = HttpRequest.newBuilder(URL)
                .POST(body)
                .timeout(Duration.ofSeconds(3))
                .version(HttpClient.Version.HTTP_1_1)
                .expectContinue(true)
                .header("X-Tenant", "a")
                .header("X-Tenant", "b")
                .header("Accept", "application/json")
                .build();

        HttpRequest sent = HttpClientPropagation.withContext(original,
                context(TraceFlags.getSampled(), TraceState.builder().put("vendor", "v1").build()));

        assertThat(sent.bodyPublisher()).containsSame(body);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.uri()).isEqualTo(URL);
        assertThat(sent.timeout()).contains(Duration.ofSeconds(3));
        assertThat(sent.version()).contains(HttpClient.Version.HTTP_1_1);
        assertThat(sent.expectContinue()).isTrue();
        assertThat(sent.headers().map()).isEqualTo(Map.of(
                "X-Tenant", List.of("a", "b"),
                "Accept", List.of("application/json"),
                "traceparent", List.of("00-" + TRACE_ID + "-" + SPAN_ID + "-01"),
                "tracestate", List.of("vendor=v1")));
        assertThat(sent.toString()).isEqualTo(original.toString());

        // HttpRequest.equals (final) is method, URI and headers: the request sent equals the one the
        // application would have built with the trace headers, and so cannot equal its own.
        HttpRequest withTraceHeaders = HttpRequest.newBuilder(original, (name, value) -> true)
                .header("traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01")
                .header("tracestate", "vendor=v1")
                .build();
        assertThat(sent).isEqualTo(withTraceHeaders).hasSameHashCodeAs(withTraceHeaders);
        assertThat(withTraceHeaders).isEqualTo(sent);
        assertThat(sent).isNotEqualTo(original);
    }

    @Test
    void requestOfTheApplicationsOwnTypeKeepsWhatABuilderCouldNotCopy() {
        HttpRequest original = new BodilessPost();

        HttpRequest sent = HttpClientPropagation.withContext(original, context(TraceFlags.getSampled(), TraceState.getDefault()));

        // HttpRequest.newBuilder(original, filter) would have given it BodyPublishers.noBody().
        assertThat(sent.bodyPublisher()).isEmpty();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.timeout()).isEmpty();
        assertThat(sent.version()).isEmpty();
        assertThat(sent.headers().map()).containsOnlyKeys("traceparent");
    }

    @Test
    void sampledOutContextTravelsWithTheSampledFlagOff() {
        HttpRequest sent = HttpClientPropagation.withContext(HttpRequest.newBuilder(URL).build(),
                context(TraceFlags.getDefault(), TraceState.getDefault()));

        assertThat(sent.headers().firstValue("traceparent")).contains("00-" + TRACE_ID + "-" + SPAN_ID + "-00");
    }

    @Test
    void aTracestateWithoutItsTraceparentGivesWayToTheCallsOwn() {
        HttpRequest original = HttpRequest.newBuilder(URL).header("TraceState", "stale=1").build();

        HttpRequest sent = HttpClientPropagation.withContext(original,
                context(TraceFlags.getSampled(), TraceState.builder().put("vendor", "v1").build()));

        assertThat(sent.headers().allValues("tracestate")).containsExactly("vendor=v1");
    }

    @Test
    void requestGoesOutAsItIsOutsideACallOrWithItsOwnTraceparent() {
        HttpRequest plain = HttpRequest.newBuilder(URL).build();
        assertThat(HttpClientPropagation.withContext(plain, Context.root())).isSameAs(plain);

        HttpRequest own = HttpRequest.newBuilder(URL)
                .header("Traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").build();
        assertThat(HttpClientPropagation.withContext(own, context(TraceFlags.getSampled(), TraceState.getDefault())))
                .isSameAs(own);
    }

    /** An application's own request type: a POST without a body publisher, which no builder makes. */
    private static final class BodilessPost extends HttpRequest {
        @Override
        public Optional<BodyPublisher> bodyPublisher() {
            return Optional.empty();
        }

        @Override
        public String method() {
            return "POST";
        }

        @Override
        public Optional<Duration> timeout() {
            return Optional.empty();
        }

        @Override
        public boolean expectContinue() {
            return false;
        }

        @Override
        public URI uri() {
            return URL;
        }

        @Override
        public Optional<HttpClient.Version> version() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(Map.of(), (name, value) -> true);
        }
    }
}
