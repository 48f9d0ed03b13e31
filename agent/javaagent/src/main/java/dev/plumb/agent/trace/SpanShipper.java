package dev.plumb.agent.trace;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Takes ended spans from the application's threads into a {@link SpanRing} and exports them in
 * batches from one daemon thread, through the SDK's own {@link SpanExporter} (OTLP). It replaces
 * the SDK's span processor for the agent's spans: the hand-off is one compare-and-set, and the
 * conversion to {@link SpanData} happens on the export thread.
 *
 * <p>A batch leaves when it is full or when {@code delay} has passed since the previous one;
 * an application thread wakes the export thread only when its span fills a batch.
 */
public final class SpanShipper {

    private final SpanRing<EndedSpan> ring;
    private final SpanExporter exporter;
    private final Resource resource;
    private final InstrumentationScopeInfo scope;
    private final int batchSize;
    private final long delayNanos;
    private final long exportTimeoutNanos;
    private final Thread thread;
    private final Consumer<String> warning;
    private final AtomicBoolean warnedFull = new AtomicBoolean();
    private final AtomicBoolean warnedFailure = new AtomicBoolean();
    private final CompletableResultCode stopped = new CompletableResultCode();
    private volatile boolean stopping;
    /** True while the export thread is about to park or parked: producers wake it only then. */
    private volatile boolean parked;

    private SpanShipper(SpanExporter exporter, Resource resource, InstrumentationScopeInfo scope, int queueSize,
            int batchSize, Duration delay, Duration exportTimeout, Consumer<String> warning) {
        this.warning = warning;
        this.ring = new SpanRing<>(queueSize);
        this.exporter = exporter;
        this.resource = resource;
        this.scope = scope;
        this.batchSize = Math.max(1, Math.min(batchSize, queueSize));
        this.delayNanos = Math.max(1, delay.toNanos());
        this.exportTimeoutNanos = exportTimeout.toNanos();
        this.thread = new Thread(this::run, "plumb-agent-spans");
        this.thread.setDaemon(true);
    }

    /**
     * Starts the export thread.
     *
     * @param exporter      where batches go
     * @param resource      the resource every span carries
     * @param scope         the instrumentation scope every span carries
     * @param queueSize     ended spans held at most before new ones are dropped
     * @param batchSize     spans per export at most
     * @param delay         the longest a span waits for a batch to fill
     * @param exportTimeout how long one export may take before the thread moves on
     * @param warning       told once when the queue first overflows
     */
    public static SpanShipper start(SpanExporter exporter, Resource resource, InstrumentationScopeInfo scope,
            int queueSize, int batchSize, Duration delay, Duration exportTimeout, Consumer<String> warning) {
        SpanShipper shipper = new SpanShipper(exporter, resource, scope, queueSize, batchSize, delay, exportTimeout,
                warning);
        shipper.thread.start();
        return shipper;
    }

    /** Queues an ended span; never blocks. A full queue drops it, counts it and warns once. */
    public void add(EndedSpan span) {
        long queued = ring.offer(span);
        if (queued < 0) {
            if (warnedFull.compareAndSet(false, true)) {
                warning.accept("the span queue is full (" + ring.capacity() + " spans, OTEL_BSP_MAX_QUEUE_SIZE);"
                        + " spans are dropped until the exporter catches up.");
            }
        } else if (queued + 1 >= batchSize && parked) {
            parked = false;
            LockSupport.unpark(thread);
        }
    }

    /** Spans dropped because the queue was full. */
    public long dropped() {
        return ring.dropped();
    }

    /**
     * Exports what is queued, then shuts the exporter down.
     *
     * @return completes when the last batch has been handed over and the exporter is shut down
     */
    public CompletableResultCode shutdown() {
        stopping = true;
        LockSupport.unpark(thread);
        return stopped;
    }

    private void run() {
        List<SpanData> batch = new ArrayList<>(batchSize);
        long nextExport = System.nanoTime() + delayNanos;
        while (true) {
            boolean last = stopping;
            long anchor = epochAnchorNanos();
            List<SpanData> filling = batch;
            ring.drain(span -> adapt(span, anchor, filling), batchSize - batch.size());
            long now = System.nanoTime();
            if (batch.size() >= batchSize || (!batch.isEmpty() && (now - nextExport >= 0 || last))) {
                export(batch);
                batch = new ArrayList<>(batchSize);
                nextExport = System.nanoTime() + delayNanos;
                continue;
            }
            if (last && batch.isEmpty()) {
                if (ring.size() == 0) {
                    break;
                }
                // a producer has claimed a slot and not written it yet: let it finish, then drain it
                Thread.yield();
                continue;
            }
            // Producers wake this thread once the queue holds a batch, but only while it says it is
            // parked; it says so first and then looks again, so a batch that filled in between (or
            // whose last slot was still being written when the drain passed it) is not slept on.
            parked = true;
            if (ring.size() >= batchSize - batch.size() || stopping != last) {
                parked = false;
                continue;
            }
            LockSupport.parkNanos(this, batch.isEmpty() ? delayNanos : Math.max(1, nextExport - now));
            parked = false;
        }
        exporter.shutdown().whenComplete(stopped::succeed);
    }

    private void adapt(EndedSpan span, long anchor, List<SpanData> batch) {
        try {
            batch.add(span.toSpanData(anchor, resource, scope));
        } catch (Throwable e) {
            warnFailure("converting a span for export", e);
        }
    }

    private void export(List<SpanData> batch) {
        try {
            exporter.export(batch).join(exportTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (Throwable e) {
            warnFailure("exporting spans", e);
        }
    }

    private void warnFailure(String what, Throwable e) {
        if (warnedFailure.compareAndSet(false, true)) {
            System.err.println("[plumb-agent] ERROR internal error " + what + ": " + e
                    + "; the application is unaffected, some spans are lost. This error is printed once.");
        }
    }

    /** What to add to a {@link System#nanoTime()} reading to get epoch nanoseconds, read now. */
    static long epochAnchorNanos() {
        Instant now = Clock.systemUTC().instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
    }
}
