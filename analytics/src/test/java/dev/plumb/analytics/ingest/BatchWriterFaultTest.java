package dev.plumb.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.analytics.StoreException;
import dev.plumb.analytics.StoreOptions;
import dev.plumb.analytics.schema.Schema;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
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
}
