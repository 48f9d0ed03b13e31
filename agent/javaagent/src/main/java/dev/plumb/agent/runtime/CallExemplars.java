package dev.plumb.agent.runtime;

/**
 * Lets the Prometheus histogram attach the current call's span as an exemplar. The exemplar
 * sampler asks only when it may keep an exemplar, so most calls never reach the hex ids.
 */
public final class CallExemplars implements io.prometheus.metrics.tracer.common.SpanContext {

    @Override
    public String getCurrentTraceId() {
        Call call = ThreadSpans.currentRecording();
        return call == null ? null : call.traceIdHex();
    }

    @Override
    public String getCurrentSpanId() {
        Call call = ThreadSpans.currentRecording();
        return call == null ? null : dev.plumb.agent.trace.SpanIds.hex(call.spanId);
    }

    @Override
    public boolean isCurrentSpanSampled() {
        return ThreadSpans.currentRecording() != null;
    }

    @Override
    public void markCurrentSpanAsExemplar() {
        Call call = ThreadSpans.currentRecording();
        if (call != null) {
            call.markExemplar();
        }
    }
}
