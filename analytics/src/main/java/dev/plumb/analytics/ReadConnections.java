package dev.plumb.analytics;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.duckdb.DuckDBConnection;

/**
 * Connections for queries, each a {@code duplicate()} of the database connection: DuckDB
 * connections must not be shared between threads, but duplicates are cheap and see every
 * committed write. Idle ones are kept (up to {@code maxIdle}) so a query does not pay for one.
 */
final class ReadConnections implements AutoCloseable {
    /** A query that needs a connection. */
    @FunctionalInterface
    interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DuckDBConnection database;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final int maxIdle;
    /** Runs before each query: waits until acknowledged writes are loaded, so queries see them. */
    private final Runnable beforeRead;

    ReadConnections(DuckDBConnection database, int maxIdle, Runnable beforeRead) {
        this.database = database;
        this.maxIdle = maxIdle;
        this.beforeRead = beforeRead;
    }

    <T> T run(String what, Query<T> query) {
        beforeRead.run();
        Connection connection = idle.poll();
        try {
            if (connection == null) {
                connection = database.duplicate();
            } else {
                idleCount.decrementAndGet();
            }
            T result = query.run(connection);
            release(connection);
            return result;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new StoreException("query for " + what + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            release(connection);
            throw e;
        }
    }

    /** A new duplicate for a caller that manages it. */
    Connection open() throws SQLException {
        beforeRead.run();
        return database.duplicate();
    }

    private void release(Connection connection) {
        if (connection == null) {
            return;
        }
        if (idleCount.incrementAndGet() <= maxIdle) {
            idle.add(connection);
        } else {
            idleCount.decrementAndGet();
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Already broken; the query's own error is the one worth reporting.
        }
    }

    @Override
    public void close() {
        Connection c;
        while ((c = idle.poll()) != null) {
            closeQuietly(c);
        }
    }
}
