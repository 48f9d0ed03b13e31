package dev.plumb.analytics.ingest;

import dev.plumb.analytics.StoreException;
import dev.plumb.analytics.StoreFullException;
import dev.plumb.analytics.StoreOptions;
import dev.plumb.analytics.StoreStats;
import dev.plumb.analytics.querytables.QueryTables;
import dev.plumb.analytics.schema.TraceKey;
import dev.plumb.analytics.telemetry.SpanRow;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single write path of the store, in three stages with a thread each.
 *
 * <p>The log stage ({@code plumb-ingest-log}) appends each submitted batch, encoded by the
 * submitting thread, to the {@link IngestLog}, forces every record it has taken in one
 * {@code fsync}, and only then completes the batches' futures: an acknowledged batch is on
 * disk and survives a crash.
 *
 * <p>Between acknowledgement and loading, a batch waits in the log file only: the queue holds
 * its position. The prepare stage ({@code plumb-store-prepare}) reads records back (from the
 * page cache, as they were just written) and decodes them just ahead of the loader, at most two
 * transactions' worth, so that a long queue costs no heap and no garbage collection.
 *
 * <p>The load stage ({@code plumb-store-writer}) takes as many logged batches as fit in
 * {@link StoreOptions#batchSize()} and appends them to DuckDB in one transaction, which also
 * records the log position it covers; log segments below that position are then deleted. At
 * open, every log record after the recorded position is loaded before anything else, so a
 * record is loaded exactly once however often the process dies. Large transactions are what
 * make the load stage fast: DuckDB commits (and checkpoints) far less often per row.
 *
 * <p>Records accepted but not yet loaded count against {@link StoreOptions#queueCapacity()};
 * beyond it {@link #submit} refuses with {@link StoreFullException}, which keeps memory and the
 * log bounded. {@link #awaitVisible()} lets a reader wait until everything acknowledged before
 * it asked is loaded, so a query sees every acknowledged record.
 */
public final class BatchWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** How long a reader waits for the loader before it queries what is loaded. */
    private static final Duration VISIBILITY_WAIT = Duration.ofSeconds(10);
    /** The ingest log's directory inside the data directory. */
    public static final String LOG_DIRECTORY = "ingest-log";

    private record Pending(byte[] record, int records, CompletableFuture<Void> done) {
    }

    /**
     * The record of {@code length} bytes and {@code records} records before {@code position} in
     * the forced log; a negative position asks for a commit.
     */
    private record Acknowledged(long position, int length, int records) {
    }

    /**
     * A batch in the log at {@code position}, decoded; a null batch asks the loader to commit
     * what it holds now. {@code records} is what it counted in the queue.
     */
    private record Logged(TelemetryBatch batch, PreparedSpans prepared, long position, int records) {
        Logged(TelemetryBatch batch, PreparedSpans prepared, long position) {
            this(batch, prepared, position, batch.size());
        }
    }

    private static final Acknowledged ASK_FLUSH = new Acknowledged(-1, 0, 0);
    private static final Logged FLUSH = new Logged(null, null, -1, 0);

    private final DuckDBConnection connection;
    private final StoreOptions options;
    private final IngestLog log;
    private final BlockingQueue<Pending> toLog = new LinkedBlockingQueue<>();
    private final BlockingQueue<Acknowledged> toPrepare = new LinkedBlockingQueue<>();
    private final BlockingQueue<Logged> toLoad = new LinkedBlockingQueue<>();
    /** Records decoded and not yet loaded: the prepare stage stays at most this far ahead. */
    private final Semaphore prepareWindow;
    private final int prepareWindowRecords;
    private final AtomicLong queued = new AtomicLong();
    private final Thread logThread;
    private final Thread prepareThread;
    private final Thread loadThread;
    // Explicit BEGIN/COMMIT: DuckDB's Appender joins an open transaction but auto-commits each
    // flush otherwise. Every statement is made for its use: DuckDB's JDBC driver closes a
    // statement whose execution fails, and a shared one would then fail every later transaction.
    private static final String MARK_NOT_ENTRY = "UPDATE span_rows SET entry = FALSE"
            + " WHERE trace_key = ? AND trace_id = CAST(? AS UHUGEINT) AND span_id = CAST(? AS UBIGINT)";
    private static final String MARK_APPLIED = "UPDATE ingest_log_applied SET position = ?";
    private final ParentResolver resolver = new ParentResolver();
    private final Object visibility = new Object();
    private volatile boolean closing;
    private volatile boolean logDone;
    /** Runs in {@link #submit} between taking a batch and queueing it: a seam for tests of a close that races it. */
    volatile Runnable beforeQueueing = () -> { };
    private volatile boolean prepareDone;
    /** True while the constructor loads what the log held at open. */
    private boolean replaying = true;
    /** See {@link #checkpointWhenIdle()}; used by the loader thread only. */
    private static final Duration IDLE_CHECKPOINT = Duration.ofSeconds(1);
    private long recordsSinceCheckpoint;
    private long lastLoadNanos;
    private volatile long acknowledged;
    private volatile long loaded;
    private volatile long logBytes;

    private final AtomicLong spans = new AtomicLong();
    private final AtomicLong logs = new AtomicLong();
    private final AtomicLong points = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong lastNanos = new AtomicLong();
    private final AtomicLong totalNanos = new AtomicLong();
    private final AtomicLong lastForceNanos = new AtomicLong();
    /** Tries, in all, of a batch DuckDB refuses on its own before it is skipped (see {@link #retryAlone}). */
    private static final int LOAD_ATTEMPTS = 6;
    /** The pause before the first retry; it doubles before each next one (1.55 s over five). */
    private static final Duration FIRST_RETRY_PAUSE = Duration.ofMillis(50);
    private final AtomicLong loadRetries = new AtomicLong();

    /**
     * Loads whatever the log in {@code logDir} holds beyond what {@code connection}'s database
     * has applied, then starts its threads. The writer owns and closes {@code connection}.
     * Throws {@link StoreException} naming the log record when the log cannot be replayed.
     */
    public BatchWriter(DuckDBConnection connection, StoreOptions options, Path logDir) throws SQLException {
        this(connection, options, logDir, FileChannel::open);
    }

    /** The writer with its log's segment files opened through {@code channels}, for tests of failed writes. */
    BatchWriter(DuckDBConnection connection, StoreOptions options, Path logDir, IngestLog.Channels channels)
            throws SQLException {
        this.connection = connection;
        this.options = options;
        this.prepareWindowRecords = 2 * options.batchSize();
        this.prepareWindow = new Semaphore(prepareWindowRecords);
        IngestLog opened = null;
        try {
            execute("CREATE TABLE IF NOT EXISTS ingest_log_applied (position BIGINT NOT NULL)");
            execute("INSERT INTO ingest_log_applied SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM ingest_log_applied)");
            resolver.reload(connection);
            long applied = appliedPosition();
            List<Logged> replay = new ArrayList<>();
            int[] records = {0};
            opened = IngestLog.open(logDir, applied, IngestLog.SEGMENT_BYTES, channels, entry -> {
                TelemetryBatch batch;
                PreparedSpans prepared;
                try {
                    batch = BatchCodec.decode(entry.payload());
                    prepared = PreparedSpans.of(batch.spans());
                } catch (IllegalArgumentException e) {
                    throw new IOException("ingest log record at position " + entry.position() + " is not a batch: "
                            + e.getMessage(), e);
                }
                replay.add(new Logged(batch, prepared, entry.position()));
                records[0] += batch.size();
                if (records[0] >= options.batchSize()) {
                    loadReplayed(replay);
                    records[0] = 0;
                }
            });
            this.log = opened;
            loadReplayed(replay);
            replaying = false;
            // Segments the log skipped at open, wholly applied, go now rather than at the first load.
            log.release(Math.max(applied, loaded));
        } catch (IOException e) {
            StoreException failure = new StoreException("cannot replay the ingest log in " + logDir + ": "
                    + e.getMessage() + "; the data dir stays as it is: fix or move that file aside to start (its"
                    + " records are then lost)", e);
            closeAfterFailedOpen(opened, failure);
            throw failure;
        } catch (SQLException | RuntimeException e) {
            closeAfterFailedOpen(opened, e);
            throw e;
        }
        if (log.replay().records() > 0) {
            LOG.info("ingest log: loaded {} records ({} bytes) written before the last stop", log.replay().records(),
                    log.replay().bytes());
        }
        this.acknowledged = log.end();
        this.loaded = Math.max(loaded, log.end());
        this.logBytes = log.retainedBytes();
        this.logThread = new Thread(this::logLoop, "plumb-ingest-log");
        logThread.setDaemon(true);
        this.prepareThread = new Thread(this::prepareLoop, "plumb-store-prepare");
        prepareThread.setDaemon(true);
        this.loadThread = new Thread(this::loadLoop, "plumb-store-writer");
        loadThread.setDaemon(true);
        logThread.start();
        prepareThread.start();
        loadThread.start();
    }

    /**
     * Closes what a constructor that throws {@code failure} opened: the connection it owns (a
     * duplicate left open would keep the database file locked) and the log, if it got that far.
     */
    private void closeAfterFailedOpen(IngestLog opened, Exception failure) {
        if (opened != null) {
            try {
                opened.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private long appliedPosition() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT max(position) FROM ingest_log_applied")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void loadReplayed(List<Logged> group) throws IOException {
        if (group.isEmpty()) {
            return;
        }
        try {
            load(group);
        } catch (SQLException e) {
            throw new IOException("loading replayed records up to position " + group.get(group.size() - 1).position()
                    + " failed: " + e.getMessage(), e);
        }
        replayed.addAndGet(group.size());
        group.clear();
    }

    /** What replaying the ingest log at open found (records loaded, and the problem that stopped it, if any). */
    public String replaySummary() {
        IngestLog.Replay r = log.replay();
        return r.records() + " records (" + r.bytes() + " bytes) replayed" + r.problem().map(p -> "; " + p).orElse("");
    }

    /** Queues {@code batch}; the future completes once it is in the forced ingest log. */
    public CompletableFuture<Void> submit(TelemetryBatch batch) {
        if (closing) {
            return CompletableFuture.failedFuture(closed());
        }
        int size = batch.size();
        if (size == 0) {
            return CompletableFuture.completedFuture(null);
        }
        Optional<IOException> broken = log.failure();
        if (broken.isPresent()) {
            failed.incrementAndGet();
            return CompletableFuture.failedFuture(new StoreException("cannot write a batch of " + size + " records: "
                    + broken.get().getMessage(), broken.get()));
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
        byte[] record;
        try {
            PreparedSpans.check(batch.spans());
            record = BatchCodec.encode(batch);
        } catch (RuntimeException e) {
            queued.addAndGet(-size);
            failed.incrementAndGet();
            // Encoding and the id check meet every field, so a batch the loader could not write fails here, before any acknowledgement.
            return CompletableFuture.failedFuture(new StoreException("cannot write a batch of " + size
                    + " records: it cannot be encoded for the ingest log (" + e.getMessage() + ")", e));
        }
        Pending pending = new Pending(record, size, new CompletableFuture<>());
        beforeQueueing.run();
        toLog.add(pending);
        // close() may have begun while this batch was encoded, and the log thread may have taken
        // its last look already: then no one would answer it. Whoever removes it from the queue
        // (the log thread, close, or this) answers it.
        if (logDone && toLog.remove(pending)) {
            queued.addAndGet(-size);
            return CompletableFuture.failedFuture(closed());
        }
        return pending.done();
    }

    private static IllegalStateException closed() {
        return new IllegalStateException("the store is closed and takes no more data");
    }

    /**
     * Waits until every batch acknowledged before this call is loaded into DuckDB (so a query
     * that follows sees it), asking the loader not to wait for more company; gives up after
     * ten seconds so that a query under overload still answers, from what is loaded.
     */
    public void awaitVisible() {
        awaitLoaded(System.nanoTime() + VISIBILITY_WAIT.toNanos());
    }

    /** Waits, however long it takes, until every batch acknowledged before this call is loaded (or the writer stops). */
    public void awaitLoaded() {
        awaitLoaded(Long.MAX_VALUE);
    }

    private void awaitLoaded(long deadline) {
        long target = acknowledged;
        if (loaded >= target || Thread.currentThread() == loadThread) {
            return;
        }
        toPrepare.add(ASK_FLUSH);
        synchronized (visibility) {
            while (loaded < target && loadThread.isAlive()) {
                long left = deadline == Long.MAX_VALUE ? TimeUnit.SECONDS.toNanos(1) : deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(visibility, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public StoreStats stats() {
        long tx = transactions.get();
        return new StoreStats(queued.get(), options.queueCapacity(), spans.get(), logs.get(), points.get(),
                batches.get(), tx, refused.get(), failed.get(), Duration.ofNanos(lastNanos.get()),
                Duration.ofNanos(tx == 0 ? 0 : totalNanos.get() / tx), logBytes, Duration.ofNanos(lastForceNanos.get()));
    }

    private void logLoop() {
        List<Pending> group = new ArrayList<>();
        try {
            while (true) {
                Pending first = toLog.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && toLog.isEmpty()) {
                        return;
                    }
                    continue;
                }
                group.add(first);
                toLog.drainTo(group);
                appendAndForce(group);
                group.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            logDone = true;
        }
    }

    private void appendAndForce(List<Pending> group) {
        long[] positions = new long[group.size()];
        try {
            for (int i = 0; i < positions.length; i++) {
                positions[i] = log.append(group.get(i).record());
            }
            long start = System.nanoTime();
            log.force();
            lastForceNanos.set(System.nanoTime() - start);
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot write {} batches to the ingest log", group.size(), e);
            fail(group.stream().map(p -> p.done()).toList(), group.stream().mapToInt(Pending::records).sum(), e);
            return;
        }
        for (int i = 0; i < positions.length; i++) {
            Pending p = group.get(i);
            toPrepare.add(new Acknowledged(positions[i], p.record().length, p.records()));
        }
        acknowledged = positions[positions.length - 1];
        for (Pending p : group) {
            p.done().complete(null);
        }
    }

    /**
     * Reads back and decodes acknowledged records for the loader, staying at most
     * {@link #prepareWindowRecords} records ahead of it. A record that cannot be read or decoded
     * (a disk error, or a bug: its own thread encoded it) is logged and passed on empty, so
     * that the loader still counts it done; it stays in the log file until its segment is released.
     */
    private void prepareLoop() {
        try {
            while (true) {
                Acknowledged next = toPrepare.poll(100, TimeUnit.MILLISECONDS);
                if (next == null) {
                    if (logDone && toPrepare.isEmpty()) {
                        return;
                    }
                    continue;
                }
                if (next.position() < 0) {
                    toLoad.add(FLUSH);
                    continue;
                }
                int permits = Math.min(next.records(), prepareWindowRecords);
                while (!prepareWindow.tryAcquire(permits, 100, TimeUnit.MILLISECONDS)) {
                    if (!loadThread.isAlive()) {
                        return;
                    }
                }
                Logged logged;
                try {
                    TelemetryBatch batch = BatchCodec.decode(readBack(next));
                    logged = new Logged(batch, PreparedSpans.of(batch.spans()), next.position(), next.records());
                } catch (IOException | RuntimeException e) {
                    failed.incrementAndGet();
                    LOG.error("cannot read back the acknowledged batch of {} records at ingest log position {}",
                            next.records(), next.position(), e);
                    logged = new Logged(TelemetryBatch.ofSpans(List.of()), PreparedSpans.of(List.of()), next.position(),
                            next.records());
                }
                toLoad.add(logged);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            prepareDone = true;
        }
    }

    /** The record of {@code next}, read again up to three times: the batch was acknowledged. */
    private byte[] readBack(Acknowledged next) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return log.read(next.position(), next.length());
            } catch (IOException e) {
                if (attempt == 3) {
                    throw e;
                }
                LOG.warn("reading back the ingest log record at position {} failed ({}); trying again",
                        next.position(), e.getMessage());
                TimeUnit.MILLISECONDS.sleep(100L * attempt);
            }
        }
    }

    private void loadLoop() {
        List<Logged> group = new ArrayList<>();
        while (true) {
            try {
                Logged first = toLoad.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (prepareDone && toLoad.isEmpty()) {
                        return;
                    }
                    checkpointWhenIdle();
                    continue;
                }
                if (first.batch() == null) {
                    continue;
                }
                group.add(first);
                int records = first.records();
                long deadline = System.nanoTime() + options.flushInterval().toNanos();
                while (records < options.batchSize()) {
                    Logged next = toLoad.peek() != null || closing ? toLoad.poll()
                            : toLoad.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null || next.batch() == null) {
                        break;
                    }
                    group.add(next);
                    records += next.records();
                }
                loadGroup(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("store writer failed on a group of {} batches", group.size(), e);
                skip(group, e);
            } finally {
                group.clear();
            }
        }
    }

    private void loadGroup(List<Logged> group) {
        try {
            load(group);
        } catch (SQLException e) {
            if (group.size() == 1) {
                retryAlone(group.get(0), e);
                return;
            }
            LOG.warn("a transaction of {} batches failed ({}); writing them one by one", group.size(), e.getMessage());
            for (Logged one : group) {
                try {
                    load(List.of(one));
                } catch (SQLException single) {
                    retryAlone(one, single);
                }
            }
        }
    }

    /**
     * Loads {@code one} again after DuckDB refused it on its own with {@code refusal}: a write
     * conflict (with the retention sweeper's DELETE, say) or a refused COMMIT passes, so it is tried
     * up to {@link #LOAD_ATTEMPTS} times in all, with a doubling pause, and only then skipped. Each
     * try is one transaction, rolled back when it fails; before each, the applied position is read
     * back, since a COMMIT reported as failed may have taken effect, and the batch is then not
     * loaded a second time.
     */
    private void retryAlone(Logged one, SQLException refusal) {
        SQLException last = refusal;
        long pause = FIRST_RETRY_PAUSE.toMillis();
        for (int attempt = 2; attempt <= LOAD_ATTEMPTS; attempt++, pause *= 2) {
            loadRetries.incrementAndGet();
            LOG.warn("DuckDB refused the batch of {} records at ingest log position {} ({}); try {} of {} in {} ms",
                    one.records(), one.position(), last.getMessage(), attempt, LOAD_ATTEMPTS, pause);
            try {
                TimeUnit.MILLISECONDS.sleep(pause);
                if (appliedPosition() >= one.position()) {
                    LOG.warn("the batch at ingest log position {} was committed after all; not loading it again",
                            one.position());
                    loadedUpTo(List.of(one), one.position());
                    return;
                }
                load(List.of(one));
                return;
            } catch (SQLException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        skip(List.of(one), new SQLException("refused " + LOAD_ATTEMPTS + " times, last: " + last.getMessage(), last));
    }

    /** How many times a batch DuckDB refused on its own was tried again; for tests. */
    long loadRetries() {
        return loadRetries.get();
    }

    /**
     * Checkpoints DuckDB once the loader has been idle for {@link #IDLE_CHECKPOINT} after loading:
     * with {@code Store.CHECKPOINT_THRESHOLD} at 128 MiB, up to that much freshly written data
     * would otherwise stay in memory, uncompressed and without zonemaps, until the next burst,
     * and lookups such as a trace by id scan it (27 ms instead of 7 at 10 M spans). Under
     * sustained load the loader is never idle and the threshold alone decides; under a trickle,
     * nothing happens until a transaction's worth of records ({@link StoreOptions#batchSize()})
     * has come in, as each checkpoint recompresses the table's last row group.
     */
    private void checkpointWhenIdle() {
        if (recordsSinceCheckpoint < options.batchSize()
                || System.nanoTime() - lastLoadNanos < IDLE_CHECKPOINT.toNanos()) {
            return;
        }
        recordsSinceCheckpoint = 0;
        try {
            execute("CHECKPOINT");
        } catch (SQLException e) {
            // A reader's transaction can hold it off; the next idle spell or the threshold will do it.
            LOG.debug("idle checkpoint skipped: {}", e.getMessage());
        }
    }

    /** One transaction: the rows of {@code group}, and the log position they reach. */
    private void load(List<Logged> group) throws SQLException {
        long start = System.nanoTime();
        List<SpanRow> spanRows = new ArrayList<>();
        List<PreparedSpans> prepared = new ArrayList<>(group.size());
        for (Logged p : group) {
            spanRows.addAll(p.batch().spans());
            prepared.add(p.prepared());
        }
        long position = group.get(group.size() - 1).position();
        ParentResolver.Decisions decisions = resolver.decide(spanRows, PreparedSpans.concat(prepared));
        execute("BEGIN TRANSACTION");
        try {
            try (TableAppenders appenders = new TableAppenders(connection)) {
                for (Logged p : group) {
                    appenders.append(p.batch(), decisions);
                }
                appenders.appendLateParents(decisions.lateParents());
            }
            if (!decisions.notEntries().isEmpty()) {
                try (PreparedStatement markNotEntry = connection.prepareStatement(MARK_NOT_ENTRY)) {
                    for (ParentResolver.Waiting child : decisions.notEntries()) {
                        // One by one: DuckDB's executeBatch opens a transaction of its own.
                        // span_rows keeps ids as unsigned integers, which JDBC has no setter for: bound as decimal text.
                        markNotEntry.setLong(1, TraceKey.of(child.traceId()));
                        markNotEntry.setString(2, new BigInteger(child.traceId(), 16).toString());
                        markNotEntry.setString(3, new BigInteger(child.spanId(), 16).toString());
                        markNotEntry.executeUpdate();
                    }
                }
            }
            // The query tables' hook (RED, services, service map); all of its logic is in QueryTables.
            PreparedSpans all = decisions.prepared();
            long[] spanKeys = new long[all.size()];
            for (int i = 0; i < spanKeys.length; i++) {
                spanKeys[i] = all.spanBits()[i] >>> 4; // TraceKey.of(spanId): its first 15 hex digits
            }
            QueryTables.append(connection, group.stream().map(Logged::batch).toList(), spanRows, all.traceKeys(),
                    spanKeys, decisions.entries(), decisions.parentServices(), decisions.notEntries().stream()
                            .map(w -> new QueryTables.SpanRef(w.traceId(), w.spanId(), w.service(), w.startNanos())).toList());
            markApplied(position);
            execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw e instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e);
        }
        resolver.committed(spanRows, decisions);
        recordsSinceCheckpoint += group.stream().mapToLong(Logged::records).sum();
        lastLoadNanos = System.nanoTime();
        long took = System.nanoTime() - start;
        lastNanos.set(took);
        totalNanos.addAndGet(took);
        transactions.incrementAndGet();
        for (Logged p : group) {
            TelemetryBatch b = p.batch();
            spans.addAndGet(b.spans().size());
            logs.addAndGet(b.logs().size());
            points.addAndGet(b.metrics().size());
            batches.incrementAndGet();
        }
        loadedUpTo(group, position);
    }

    private void loadedUpTo(List<Logged> group, long position) {
        if (!replaying) {
            // Batches replayed at open were never counted as queued, nor went through the prepare stage.
            queued.addAndGet(-group.stream().mapToLong(Logged::records).sum());
            prepareWindow.release(group.stream().mapToInt(p -> Math.min(p.records(), prepareWindowRecords)).sum());
        }
        if (log != null) {
            try {
                log.release(position);
            } catch (IOException e) {
                LOG.warn("cannot delete applied ingest log segments: {}", e.getMessage());
            }
            logBytes = log.retainedBytes();
        }
        synchronized (visibility) {
            loaded = Math.max(loaded, position);
            visibility.notifyAll();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void markApplied(long position) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(MARK_APPLIED)) {
            statement.setLong(1, position);
            statement.executeUpdate();
        }
    }

    private void rollback() {
        try {
            execute("ROLLBACK");
        } catch (SQLException e) {
            LOG.warn("rollback after a failed write failed too: {}", e.getMessage());
        }
    }

    /**
     * A logged batch that DuckDB refused on its own: it was acknowledged, so say so loudly, and
     * mark its position applied so that a restart does not stop on it again.
     */
    private void skip(List<Logged> group, Exception cause) {
        long position = group.get(group.size() - 1).position();
        for (Logged p : group) {
            failed.incrementAndGet();
            LOG.error("cannot load the acknowledged batch of {} records at ingest log position {}; it stays in the"
                    + " log file until that segment is released: {}", p.records(), p.position(), cause.getMessage());
        }
        try {
            markApplied(position);
        } catch (SQLException e) {
            LOG.error("cannot record ingest log position {} as applied: {}", position, e.getMessage());
        }
        loadedUpTo(group, position);
    }

    private void fail(List<CompletableFuture<Void>> futures, int records, Exception cause) {
        queued.addAndGet(-records);
        for (CompletableFuture<Void> done : futures) {
            failed.incrementAndGet();
            done.completeExceptionally(new StoreException("cannot write a batch to the ingest log: "
                    + cause.getMessage(), cause));
        }
    }

    /**
     * Stops taking batches, logs and loads every queued one, then closes the log and the
     * connection. A batch submitted as it closes is refused (its future fails at once), never left
     * unanswered.
     */
    @Override
    public void close() {
        closing = true;
        try {
            logThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Queued after the log thread's last look: not in the log, so refused.
        List<Pending> unlogged = new ArrayList<>();
        toLog.drainTo(unlogged);
        for (Pending p : unlogged) {
            queued.addAndGet(-p.records());
            p.done().completeExceptionally(closed());
        }
        try {
            prepareThread.join();
            loadThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            log.close();
        } catch (IOException e) {
            LOG.warn("closing the ingest log failed: {}", e.getMessage());
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the writer connection failed: {}", e.getMessage());
        }
    }
}
