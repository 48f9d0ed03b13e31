package dev.plumb.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.agent.OtlpReceiver.ReceivedSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A @Monitor call inside a span of the app's own OpenTelemetry SDK continues that trace. */
class AppTraceContextIT {

    @Test
    void monitoredSpanIsChildOfTheAppsOwnCurrentSpan() throws Exception {
        List<String> classPath = new ArrayList<>(ForkedApp.appClassPath());
        classPath.addAll(ForkedApp.appOwnLibraries());
        try (OtlpReceiver receiver = new OtlpReceiver();
                ForkedApp app = ForkedApp.start(ForkedApp.javaHome(), classPath,
                        ForkedApp.quickExport(receiver.endpoint(), "own", 0), "dev.plumb.testapp.OwnOtelApp")) {
            assertThat(app.await(30)).as(app.stderr()).isZero();
            Matcher ids = Pattern.compile("app_trace_id=([0-9a-f]{32}) app_span_id=([0-9a-f]{16})").matcher(app.stdout());
            assertThat(ids.find()).as(app.stdout()).isTrue();

            ReceivedSpan place = receiver.awaitSpan("Orders.place", Duration.ofSeconds(10));
            assertThat(place.traceId()).isEqualTo(ids.group(1));
            assertThat(place.parentSpanId()).isEqualTo(ids.group(2));
            // Nested @Monitor calls still hang off the agent's own span, not the app's.
            ReceivedSpan reserve = receiver.awaitSpan("reserve-stock", Duration.ofSeconds(10));
            assertThat(reserve.traceId()).isEqualTo(ids.group(1));
            assertThat(reserve.parentSpanId()).isEqualTo(place.spanId());
        }
    }
}
