package dev.plumb.analytics;

import dev.plumb.analytics.ingest.BatchWriter;
import dev.plumb.analytics.logs.LogQueryException;
import dev.plumb.analytics.logs.LogSearch;
import dev.plumb.analytics.logs.LogView;
import dev.plumb.analytics.metrics.MetricCatalog;
import dev.plumb.analytics.metrics.MetricInfo;
import dev.plumb.analytics.metrics.MetricQueryException;
import dev.plumb.analytics.metrics.MetricSeries;
import dev.plumb.analytics.metrics.MetricSeriesQuery;
import dev.plumb.analytics.red.OperationSummary;
import dev.plumb.analytics.red.RedPoint;
import dev.plumb.analytics.red.RedQuery;
import dev.plumb.analytics.red.ServiceSummary;
import dev.plumb.analytics.retention.RetentionSweeper;
import dev.plumb.analytics.schema.Schema;
import dev.plumb.analytics.servicemap.ServiceEdge;
import dev.plumb.analytics.servicemap.ServiceMapQuery;
import dev.plumb.analytics.telemetry.TelemetryBatch;
import dev.plumb.analytics.traces.TraceQuery;
import dev.plumb.analytics.traces.TraceSearch;
import dev.plumb.analytics.traces.TraceSummary;
import dev.plumb.analytics.traces.TraceTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plumb's telemetry store: an embedded DuckDB database at {@code dataDir/plumb.duckdb}, with
 * a consumer side ({@link #submit}) and a query side (services, RED, logs, traces, service map),
 * in the shape of Zipkin's storage SPI. Callers never see SQL.
 *
 * <p>Writes go to a write-ahead log in {@code dataDir/ingest-log/} first: a {@link #submit}
 * future completes once its batch is forced to disk there, so acknowledged data survives a
 * crash; one loader thread then writes logged batches to DuckDB in large transactions, and the
 * log is replayed at open (see {@link BatchWriter}). Queries run on per-thread duplicates of the
 * database connection and first wait (up to ten seconds) until every batch acknowledged before
 * them is loaded. Rows older than their signal's retention are deleted at open and hourly.
 * All methods are thread-safe.
 */
public final class Store implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    /** The database file inside the data directory. */
    public static final String DATABASE_FILE = "plumb.duckdb";
    private static final Duration RETENTION_PERIOD = Duration.ofHours(1);
    /**
     * How much DuckDB write-ahead log triggers a checkpoint (DuckDB's default is 16 MiB). Each
     * checkpoint compresses the table's last, partly filled row group again, so at the default
     * a span was compressed several times before its row group filled; at 128 MiB the loader
     * keeps up with about twice the spans per second (docs/performance.md, "Ingest"). The
     * cost: a restart after a crash replays up to this much DuckDB log.
     */
    static final String CHECKPOINT_THRESHOLD = "128MiB";

    private final Path database;
    private final StoreOptions options;
    private final DuckDBConnection root;
    private final BatchWriter writer;
    private final ReadConnections readers;
    private final RetentionSweeper sweeper;
    private final ScheduledExecutorService housekeeping;

    private Store(Path database, StoreOptions options, DuckDBConnection root) throws SQLException {
        this.database = database;
        this.options = options;
        this.root = root;
        Schema.apply(root);
        this.writer = new BatchWriter(root.duplicate(), options, database.resolveSibling(BatchWriter.LOG_DIRECTORY));
        this.readers = new ReadConnections(root, Math.max(4, Runtime.getRuntime().availableProcessors() * 2),
                writer::awaitVisible);
        this.sweeper = new RetentionSweeper(options);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "plumb-store-retention");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(this::sweepQuietly, 0, RETENTION_PERIOD.toMinutes(), TimeUnit.MINUTES);
    }

    /** Opens (creating when needed) the store in {@code dataDir} with {@link StoreOptions#defaults()}. */
    public static Store open(Path dataDir) {
        return open(dataDir, StoreOptions.defaults());
    }

    /**
     * Opens (creating when needed) {@code dataDir} and {@code dataDir/plumb.duckdb}. Throws
     * {@link StoreException} naming the directory when it cannot be created or the database
     * cannot be opened (for instance because another process holds it).
     */
    public static Store open(Path dataDir, StoreOptions options) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(options, "options");
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new StoreException(String.format("cannot open data dir %s: cannot create it (%s); "
                    + "choose a writable directory with --data-dir or PLUMB_DATA_DIR", dir, e), e);
        }
        if (!Files.isWritable(dir)) {
            throw new StoreException(String.format("cannot open data dir %s: it is not writable; "
                    + "choose a writable directory with --data-dir or PLUMB_DATA_DIR", dir), null);
        }
        Path file = dir.resolve(DATABASE_FILE);
        DuckDBConnection connection = null;
        try {
            Properties config = new Properties();
            config.setProperty("memory_limit", options.memoryLimitMiB() + "MiB");
            config.setProperty("checkpoint_threshold", CHECKPOINT_THRESHOLD);
            connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file, config);
            return new Store(file, options, connection);
        } catch (SQLException | StoreException e) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof StoreException replay) {
                // The ingest log could not be replayed: its message says which record and what to do.
                throw replay;
            }
            throw new StoreException(String.format("cannot open data dir %s: database %s did not open (%s); "
                    + "is another Plumb process using this data dir?", dir, file, e.getMessage()), e);
        }
    }

    /** The database file. */
    public Path databaseFile() {
        return database;
    }

    public StoreOptions options() {
        return options;
    }

    /**
     * Queues {@code batch} for writing. The future completes when its records are durable (in the
     * forced ingest log; queries wait for them to be loaded); it fails with {@link StoreFullException} at once when the queue is full, and
     * with {@link StoreException} if the write fails.
     */
    public CompletableFuture<Void> submit(TelemetryBatch batch) {
        return writer.submit(Objects.requireNonNull(batch, "batch"));
    }

    /** {@link #submit} and wait until the records are loaded into DuckDB; for tests and imports. */
    public void write(TelemetryBatch batch) {
        try {
            submit(batch).join();
            writer.awaitLoaded();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Every service with a span or a log in {@code range}, sorted by name, with its RED figures (see {@link RedQuery}). */
    public List<ServiceSummary> services(TimeRange range) {
        return readers.run("services", c -> RedQuery.services(c, range));
    }

    /** The RED series of {@code service}, one point per {@code step} from {@code range.from()}, empty steps as zeros. */
    public List<RedPoint> red(String service, TimeRange range, Duration step) {
        return red(service, null, range, step);
    }

    /** As {@link #red(String, TimeRange, Duration)}, counting only {@code operation}'s entry spans when it is not null. */
    public List<RedPoint> red(String service, String operation, TimeRange range, Duration step) {
        Objects.requireNonNull(service, "service");
        return readers.run("RED of " + service, c -> RedQuery.series(c, service, operation, range, step));
    }

    /** Each operation of {@code service} in {@code range}, sorted by name, with its RED figures. */
    public List<OperationSummary> operations(String service, TimeRange range) {
        Objects.requireNonNull(service, "service");
        return readers.run("operations of " + service, c -> RedQuery.operations(c, service, range));
    }

    /** Log records in {@code range} matching {@code query}, newest first; throws {@link LogQueryException} on a bad query. */
    public List<LogView> logs(String query, TimeRange range, int limit) {
        return readers.run("logs", c -> LogSearch.search(c, query, range, limit));
    }

    /** Trace summaries matching {@code search}, newest first (see {@link TraceQuery}). */
    public List<TraceSummary> traces(TraceSearch search) {
        Objects.requireNonNull(search.range(), "search.range");
        return readers.run("traces", c -> TraceQuery.search(c, search));
    }

    /** The trace as a tree with its logs, or empty when none of its spans is stored. */
    public Optional<TraceTree> trace(String traceId) {
        Objects.requireNonNull(traceId, "traceId");
        return readers.run("trace " + traceId, c -> TraceQuery.tree(c, traceId));
    }

    /** Edges between services seen in {@code range} (see {@link ServiceMapQuery}). */
    public List<ServiceEdge> serviceMap(TimeRange range) {
        return readers.run("service map", c -> ServiceMapQuery.edges(c, range));
    }

    /** The metrics with a point in {@code range}, of {@code service} only when it is not null (see {@link MetricCatalog}). */
    public List<MetricInfo> metrics(String service, TimeRange range) {
        return readers.run("metrics", c -> MetricCatalog.list(c, service, range));
    }

    /**
     * Metric {@code name} as a series (see {@link MetricSeriesQuery}); throws
     * {@link MetricQueryException} for a metric without points in the window or a wrong {@code agg}.
     */
    public MetricSeries metricSeries(String name, String service, TimeRange range, Duration step, String agg,
                                     Map<String, String> attributes) {
        Objects.requireNonNull(name, "name");
        return readers.run("metric " + name,
                c -> MetricSeriesQuery.series(c, name, service, range, step, agg, Map.copyOf(attributes)));
    }

    /** Ingest figures since open. */
    public StoreStats stats() {
        return writer.stats();
    }

    /**
     * A new connection ({@code duplicate()}) to the database for analytics' own query
     * packages. The caller must close it, and use it from one thread at a time.
     */
    public Connection openConnection() {
        try {
            return readers.open();
        } catch (SQLException e) {
            throw new StoreException("cannot open a connection to " + database + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits (up to the same bound as every query of this store) until the records acknowledged
     * before this call are loaded: for readers on a connection of their own from
     * {@link #openConnection()}, which only waited when it was opened.
     */
    public void awaitVisible() {
        writer.awaitVisible();
    }

    /** Deletes rows older than their retention now; answers the rows deleted per table. Runs at open and hourly by itself. */
    public Map<String, Long> enforceRetention() {
        return enforceRetention(Instant.now());
    }

    Map<String, Long> enforceRetention(Instant now) {
        return readers.run("retention", c -> sweeper.sweep(c, now));
    }

    private void sweepQuietly() {
        try {
            Map<String, Long> deleted = enforceRetention();
            if (deleted.values().stream().anyMatch(n -> n > 0)) {
                LOG.info("retention deleted {}", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warn("retention sweep failed, will retry in {}: {}", RETENTION_PERIOD, e.getMessage());
        }
    }

    /** Writes every queued batch, then closes the database. */
    @Override
    public void close() {
        housekeeping.shutdownNow();
        try {
            housekeeping.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        readers.close();
        try {
            root.close();
        } catch (SQLException e) {
            LOG.warn("closing {} failed: {}", database, e.getMessage());
        }
    }
}
