package dev.plumb.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.analytics.StoreException;
import dev.plumb.analytics.StoreOptions;
import dev.plumb.analytics.schema.Schema;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer when its disk or DuckDB fails it, and when it is closed under load. */
class BatchWriterFaultTest {
    @TempDir
    Path data;

    private DuckDBConnection root;

    private BatchWriter open(StoreOptions options, IngestLog.Channels channels) throws SQLException {
        if (root == null) {
            root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + data.resolve("plumb.duckdb"));
            Schema.apply(root);
        }
        return new BatchWriter(root.duplicate(), options, data.resolve(BatchWriter.LOG_DIRECTORY),
                channels);
    }

    private long count(String sql) throws SQLException {
        try (Statement s = root.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @AfterEach
    void closeDatabase() throws SQLException {
        if (root != null) {
            root.close();
        }
    }

    @Test
    void refusesSubmitsAtOnceWhenTheLogCouldNotBeCutBack() throws Exception {
        FaultyChannels disk = new FaultyChannels();
        try (BatchWriter writer = open(StoreOptions.defaults(), disk)) {
            writer.submit(LogReplayTest.batch(0)).join();
            disk.failingForces = 1;
            disk.failTruncate = true;
            CompletableFuture<Void> refused = writer.submit(LogReplayTest.batch(1));
            assertThatThrownBy(refused::join).hasCauseInstanceOf(StoreException.class)
                    .hasMessageContaining("fsync");

            CompletableFuture<Void> next = writer.submit(LogReplayTest.batch(2));
            assertThat(next).isCompletedExceptionally();
            assertThatThrownBy(next::join).hasCauseInstanceOf(StoreException.class)
                    .hasMessageContaining("cannot write a batch of 5 records")
                    .hasMessageContaining("takes no more records");
            writer.awaitLoaded();
            assertThat(count("SELECT count(*) FROM spans")).isEqualTo(3);
            assertThat(writer.stats().failedBatches()).isEqualTo(2);
        }
    }

    /** Polls {@code condition} for up to ten seconds. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition met within 10 s").isTrue();
    }

    /**
     * Loads batch 0, then holds in {@code other}'s transaction the row each load updates, as the
     * retention sweeper's DELETE holds the rows it removes, and logs batch 1: the loader's
     * transactions conflict and roll back until {@code other} ends its own.
     */
    private static void conflictWithLoads(BatchWriter writer, Statement other) throws SQLException {
        writer.submit(LogReplayTest.batch(0)).join();
        writer.awaitLoaded();
        other.execute("BEGIN TRANSACTION");
        other.execute("UPDATE ingest_log_applied SET position = position");
        writer.submit(LogReplayTest.batch(1)).join();
    }

    @Test
    void triesABatchAgainWhenDuckDbRefusedItForAWhileAndLoadsItOnce() throws Exception {
        try (BatchWriter writer = open(StoreOptions.defaults(), FileChannel::open);
             Connection other = root.duplicate();
             Statement s = other.createStatement()) {
            conflictWithLoads(writer, s);
            await(() -> writer.loadRetries() > 0);
            s.execute("ROLLBACK");

            writer.awaitLoaded();
            assertThat(count("SELECT count(*) FROM spans")).isEqualTo(6);
            assertThat(count("SELECT count(*) FROM logs")).isEqualTo(2);
            assertThat(writer.stats().failedBatches()).isZero();
            assertThat(writer.stats().batchesWritten()).isEqualTo(2);
        }
    }

    @Test
    void skipsABatchLoudlyOnlyAfterEveryTryWasRefused() throws Exception {
        try (BatchWriter writer = open(StoreOptions.defaults(), FileChannel::open);
             Connection other = root.duplicate();
             Statement s = other.createStatement()) {
            conflictWithLoads(writer, s);
            await(() -> writer.stats().failedBatches() > 0);
            assertThat(writer.loadRetries()).isEqualTo(5);
            s.execute("ROLLBACK");

            writer.submit(LogReplayTest.batch(2)).join();
            writer.awaitLoaded();
            assertThat(count("SELECT count(*) FROM spans")).isEqualTo(6);
            assertThat(writer.stats().failedBatches()).isEqualTo(1);
        }
    }

    @Test
    void refusesABatchSubmittedAsTheWriterClosesInsteadOfLeavingItUnanswered() throws Exception {
        BatchWriter writer = open(StoreOptions.defaults(), FileChannel::open);
        // The batch is taken while the writer is open, and close runs to its end before it is queued.
        writer.beforeQueueing = writer::close;

        CompletableFuture<Void> late = writer.submit(LogReplayTest.batch(0));

        assertThatThrownBy(() -> late.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(writer.stats().queueDepth()).isZero();
        assertThat(writer.submit(LogReplayTest.batch(1))).isCompletedExceptionally();
    }

    @Test
    void closesTheConnectionItWasGivenWhenItCannotOpen() throws Exception {
        // A database without the store's schema: the writer's first reads of span_rows fail.
        root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + data.resolve("plumb.duckdb"));
        DuckDBConnection own = root.duplicate();

        assertThatThrownBy(() -> new BatchWriter(own, StoreOptions.defaults(), data.resolve(BatchWriter.LOG_DIRECTORY)))
                .isInstanceOf(SQLException.class).hasMessageContaining("spans");
        assertThat(own.isClosed()).isTrue();
    }
}
