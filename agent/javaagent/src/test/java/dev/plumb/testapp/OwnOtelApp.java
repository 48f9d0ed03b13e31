package dev.plumb.testapp;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;

/** An app with its own OpenTelemetry SDK and ByteBuddy, of other versions than the agent bundles. */
public final class OwnOtelApp {

    private OwnOtelApp() {
    }

    public static void main(String[] args) throws Exception {
        SdkTracerProvider provider = SdkTracerProvider.builder().build();
        Tracer tracer = provider.get("own-app");
        Span root = tracer.spanBuilder("app-root").startSpan();
        String result;
        try (Scope ignored = root.makeCurrent()) {
            result = new Orders().place("o-own");
        } finally {
            root.end();
        }
        Class<?> generated = new ByteBuddy()
                .subclass(Object.class)
                .name("dev.plumb.testapp.Generated")
                .make()
                .load(OwnOtelApp.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
                .getLoaded();
        System.out.println("OWN_OK " + result + " " + generated.getName() + " bytebuddy="
                + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().getPath()
                        .replaceAll(".*/", "") + " app_trace_id="
                + root.getSpanContext().getTraceId() + " app_span_id=" + root.getSpanContext().getSpanId());
        provider.shutdown();
    }
}
