package dev.plumb.analytics.ingest;

import dev.plumb.analytics.StoreException;
import dev.plumb.analytics.StoreFullException;
import dev.plumb.analytics.StoreOptions;
import dev.plumb.analytics.StoreStats;
import dev.plumb.analytics.querytables.QueryTables;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of the store. Submitted batches wait in a queue bounded by record count;
 * one thread takes as many as fit in {@link StoreOptions#batchSize()}, appends them in one
 * transaction and commits, and only then completes their futures, so an acknowledged batch
 * is in DuckDB's write-ahead log and survives a crash. A failed transaction is retried batch
 * by batch so that one bad batch does not fail its neighbours.
 */
public final class BatchWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private record Pending(TelemetryBatch batch, CompletableFuture<Void> done) {
    }

    private final DuckDBConnection connection;
    private final StoreOptions options;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final Thread thread;
    /** Explicit BEGIN/COMMIT: DuckDB's Appender joins an open transaction but auto-commits each flush otherwise. */
    private final Statement transaction;
    private final PreparedStatement markNotEntry;
    private final ParentResolver resolver = new ParentResolver();
    private volatile boolean closing;

    private final AtomicLong spans = new AtomicLong();
    private final AtomicLong logs = new AtomicLong();
    private final AtomicLong points = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lastNanos = new AtomicLong();
    private final AtomicLong totalNanos = new AtomicLong();

    /** Starts the writer thread on {@code connection}, which it then owns and closes. */
    public BatchWriter(DuckDBConnection connection, StoreOptions options) throws SQLException {
        this.connection = connection;
        this.options = options;
        this.transaction = connection.createStatement();
        this.markNotEntry = connection.prepareStatement("UPDATE spans SET entry = FALSE WHERE trace_id = ? AND span_id = ?");
        resolver.reload(connection);
        this.thread = new Thread(this::run, "plumb-store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code batch}; the future completes once it is committed. */
    public CompletableFuture<Void> submit(TelemetryBatch batch) {
        if (closing) {
            return CompletableFuture.failedFuture(new IllegalStateException("the store is closed and takes no more data"));
        }
        int size = batch.size();
        if (size == 0) {
            return CompletableFuture.completedFuture(null);
        }
        while (true) {
            long now = queued.get();
            // A batch larger than the whole queue is still taken when the queue is empty,
            // otherwise it could never be written.
            if (now > 0 && now + size > options.queueCapacity()) {
                refused.incrementAndGet();
                return CompletableFuture.failedFuture(new StoreFullException("the store's write queue is full ("
                        + now + " of " + options.queueCapacity() + " records waiting): retry after "
                        + RETRY_AFTER.toSeconds() + "s", RETRY_AFTER));
            }
            if (queued.compareAndSet(now, now + size)) {
                break;
            }
        }
        Pending pending = new Pending(batch, new CompletableFuture<>());
        queue.add(pending);
        return pending.done();
    }

    public StoreStats stats() {
        long tx = transactions.get();
        return new StoreStats(queued.get(), options.queueCapacity(), spans.get(), logs.get(), points.get(),
                batches.get(), tx, refused.get(), failed.get(), Duration.ofNanos(lastNanos.get()),
                Duration.ofNanos(tx == 0 ? 0 : totalNanos.get() / tx));
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        while (true) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                group.add(first);
                int records = first.batch().size();
                long deadline = System.nanoTime() + options.flushInterval().toNanos();
                while (records < options.batchSize()) {
                    Pending next = queue.peek() != null || closing ? queue.poll()
                            : queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    group.add(next);
                    records += next.batch().size();
                }
                writeGroup(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("store writer failed on a group of {} batches", group.size(), e);
                fail(group, e);
            } finally {
                group.clear();
            }
        }
    }

    private void writeGroup(List<Pending> group) {
        try {
            commit(group);
        } catch (SQLException e) {
            if (group.size() == 1) {
                fail(group, e);
                return;
            }
            LOG.warn("a transaction of {} batches failed ({}); writing them one by one", group.size(), e.getMessage());
            for (Pending one : group) {
                try {
                    commit(List.of(one));
                } catch (SQLException single) {
                    fail(List.of(one), single);
                }
            }
        }
    }

    private void commit(List<Pending> group) throws SQLException {
        long start = System.nanoTime();
        List<SpanRow> spanRows = new ArrayList<>();
        for (Pending p : group) {
            spanRows.addAll(p.batch().spans());
        }
        ParentResolver.Decisions decisions = resolver.decide(spanRows);
        transaction.execute("BEGIN TRANSACTION");
        try {
            try (TableAppenders appenders = new TableAppenders(connection)) {
                for (Pending p : group) {
                    appenders.append(p.batch(), decisions);
                }
                appenders.appendLateParents(decisions.lateParents());
            }
            for (ParentResolver.Waiting child : decisions.notEntries()) {
                // One by one: DuckDB's executeBatch opens a transaction of its own.
                markNotEntry.setString(1, child.traceId());
                markNotEntry.setString(2, child.spanId());
                markNotEntry.executeUpdate();
            }
            // The query tables' hook (RED, services, service map); all of its logic is in QueryTables.
            QueryTables.append(connection, group.stream().map(Pending::batch).toList(), spanRows, decisions.entries(),
                    decisions.parentServices(), decisions.notEntries().stream()
                            .map(w -> new QueryTables.SpanRef(w.traceId(), w.spanId(), w.startNanos())).toList());
            transaction.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw e instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e);
        }
        resolver.committed(spanRows, decisions);
        long took = System.nanoTime() - start;
        lastNanos.set(took);
        totalNanos.addAndGet(took);
        transactions.incrementAndGet();
        for (Pending p : group) {
            TelemetryBatch b = p.batch();
            spans.addAndGet(b.spans().size());
            logs.addAndGet(b.logs().size());
            points.addAndGet(b.metrics().size());
            batches.incrementAndGet();
            queued.addAndGet(-b.size());
            p.done().complete(null);
        }
    }

    private void rollback() {
        try {
            transaction.execute("ROLLBACK");
        } catch (SQLException e) {
            LOG.warn("rollback after a failed write failed too: {}", e.getMessage());
        }
    }

    private void fail(List<Pending> group, Exception cause) {
        for (Pending p : group) {
            if (p.done().isDone()) {
                continue;
            }
            failed.incrementAndGet();
            queued.addAndGet(-p.batch().size());
            p.done().completeExceptionally(new StoreException("cannot write a batch of " + p.batch().size()
                    + " records: " + cause.getMessage(), cause));
        }
    }

    /** Stops taking batches, writes every queued one, then closes the connection. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the writer connection failed: {}", e.getMessage());
        }
    }
}
