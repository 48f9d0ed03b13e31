package dev.plumb.analytics.alerts;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Alert subscriptions, their current status and their events, in three tables of the store's
 * DuckDB database (created when missing, so a data directory from before alerts opens as is).
 * One connection, used under this object's lock: alert traffic is a few rows a minute.
 * Times are epoch milliseconds, durations milliseconds.
 */
public final class AlertStore implements AutoCloseable {
    private static final String[] DDL = {
        """
        CREATE TABLE IF NOT EXISTS alert_subscriptions (
            id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, service VARCHAR NOT NULL, signal VARCHAR NOT NULL,
            op VARCHAR NOT NULL, severity VARCHAR NOT NULL, threshold DOUBLE NOT NULL, window_ms BIGINT NOT NULL, for_ms BIGINT NOT NULL,
            query VARCHAR, created_ms BIGINT NOT NULL,
            state VARCHAR NOT NULL DEFAULT 'inactive', state_since_ms BIGINT, last_notified_ms BIGINT, last_value DOUBLE)
        """,
        """
        CREATE TABLE IF NOT EXISTS alert_channels (
            alert_id VARCHAR NOT NULL, position INTEGER NOT NULL, type VARCHAR NOT NULL, url VARCHAR NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS alert_events (
            alert_id VARCHAR NOT NULL, at_ms BIGINT NOT NULL, state VARCHAR NOT NULL, value DOUBLE, message VARCHAR)
        """
    };

    private final Connection connection;

    /** Opens the alert tables in {@code store}'s database, creating them when missing. */
    public static AlertStore on(Store store) {
        return new AlertStore(store.openConnection());
    }

    AlertStore(Connection connection) {
        this.connection = connection;
        try (Statement s = connection.createStatement()) {
            for (String ddl : DDL) {
                s.execute(ddl);
            }
        } catch (SQLException e) {
            throw fail("create the alert tables", e);
        }
    }

    /** Stores a new subscription with status {@code inactive}. */
    public synchronized void add(AlertSubscription a) {
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO alert_subscriptions (id, name, service, signal, op, severity, threshold, window_ms, for_ms,"
                            + " query, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, a.id());
                ps.setString(2, a.name());
                ps.setString(3, a.service());
                ps.setString(4, a.signal());
                ps.setString(5, a.op());
                ps.setString(6, a.severity());
                ps.setDouble(7, a.threshold());
                ps.setLong(8, a.window().toMillis());
                ps.setLong(9, a.forDuration().toMillis());
                if (a.query() == null) {
                    ps.setNull(10, Types.VARCHAR);
                } else {
                    ps.setString(10, a.query());
                }
                ps.setLong(11, a.createdAt().toEpochMilli());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO alert_channels (alert_id, position, type, url) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < a.channels().size(); i++) {
                    ps.setString(1, a.id());
                    ps.setInt(2, i);
                    ps.setString(3, a.channels().get(i).type());
                    ps.setString(4, a.channels().get(i).url());
                    ps.executeUpdate();
                }
            }
            connection.commit();
        } catch (SQLException e) {
            rollback(e);
            throw fail("store alert " + a.id(), e);
        } finally {
            autoCommit();
        }
    }

    /** Every subscription, oldest first. */
    public synchronized List<AlertSubscription> list() {
        return select("", null);
    }

    public synchronized Optional<AlertSubscription> find(String id) {
        return select("WHERE id = ?", id).stream().findFirst();
    }

    /** Deletes the subscription with its channels, status and events; false when there was none. */
    public synchronized boolean delete(String id) {
        try {
            connection.setAutoCommit(false);
            int deleted;
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM alert_subscriptions WHERE id = ?")) {
                ps.setString(1, id);
                deleted = ps.executeUpdate();
            }
            for (String table : List.of("alert_channels", "alert_events")) {
                try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + table + " WHERE alert_id = ?")) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
            connection.commit();
            return deleted > 0;
        } catch (SQLException e) {
            rollback(e);
            throw fail("delete alert " + id, e);
        } finally {
            autoCommit();
        }
    }

    /** The current status of the subscription ({@link AlertStatus#initial()} when never evaluated). */
    public synchronized AlertStatus status(String id) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT state, state_since_ms, last_notified_ms, last_value FROM alert_subscriptions WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet r = ps.executeQuery()) {
                if (!r.next()) {
                    return AlertStatus.initial();
                }
                return new AlertStatus(r.getString(1), instant(r, 2), instant(r, 3), nullableDouble(r, 4));
            }
        } catch (SQLException e) {
            throw fail("read the status of alert " + id, e);
        }
    }

    /** Saves {@code status}, and {@code event} (when not null) in the same transaction. */
    public synchronized void update(String id, AlertStatus status, AlertEvent event) {
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement ps = connection.prepareStatement(
                    "UPDATE alert_subscriptions SET state = ?, state_since_ms = ?, last_notified_ms = ?, last_value = ?"
                            + " WHERE id = ?")) {
                ps.setString(1, status.state());
                setInstant(ps, 2, status.since());
                setInstant(ps, 3, status.lastNotified());
                setDouble(ps, 4, status.value());
                ps.setString(5, id);
                ps.executeUpdate();
            }
            if (event != null) {
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO alert_events (alert_id, at_ms, state, value, message) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, id);
                    ps.setLong(2, event.at().toEpochMilli());
                    ps.setString(3, event.state());
                    setDouble(ps, 4, event.value());
                    ps.setString(5, event.message());
                    ps.executeUpdate();
                }
            }
            connection.commit();
        } catch (SQLException e) {
            rollback(e);
            throw fail("update alert " + id, e);
        } finally {
            autoCommit();
        }
    }

    /** The subscription's events, newest first, at most {@code limit}. */
    public synchronized List<AlertEvent> events(String id, int limit) {
        List<AlertEvent> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT at_ms, state, value, message FROM alert_events WHERE alert_id = ? ORDER BY at_ms DESC, rowid DESC LIMIT ?")) {
            ps.setString(1, id);
            ps.setInt(2, limit);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    out.add(new AlertEvent(id, Instant.ofEpochMilli(r.getLong(1)), r.getString(2), nullableDouble(r, 3),
                            r.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw fail("read the events of alert " + id, e);
        }
        return out;
    }

    private List<AlertSubscription> select(String where, String id) {
        Map<String, List<AlertChannel>> channels = new LinkedHashMap<>();
        String channelSql = "SELECT alert_id, type, url FROM alert_channels " + where.replace("id", "alert_id")
                + " ORDER BY alert_id, position";
        try (PreparedStatement ps = connection.prepareStatement(channelSql)) {
            if (id != null) {
                ps.setString(1, id);
            }
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    channels.computeIfAbsent(r.getString(1), k -> new ArrayList<>())
                            .add(new AlertChannel(r.getString(2), r.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw fail("read alert channels", e);
        }
        List<AlertSubscription> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id, name, service, signal, op, severity, threshold, window_ms, for_ms, query, created_ms"
                        + " FROM alert_subscriptions " + where + " ORDER BY created_ms, id")) {
            if (id != null) {
                ps.setString(1, id);
            }
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    String alertId = r.getString(1);
                    out.add(new AlertSubscription(alertId, r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                            r.getString(6), r.getDouble(7), Duration.ofMillis(r.getLong(8)), Duration.ofMillis(r.getLong(9)),
                            r.getString(10), channels.getOrDefault(alertId, List.of()), Instant.ofEpochMilli(r.getLong(11))));
                }
            }
        } catch (SQLException e) {
            throw fail("read alert subscriptions", e);
        }
        return out;
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        long ms = r.getLong(column);
        return r.wasNull() ? null : Instant.ofEpochMilli(ms);
    }

    private static Double nullableDouble(ResultSet r, int column) throws SQLException {
        double v = r.getDouble(column);
        return r.wasNull() ? null : v;
    }

    private static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value.toEpochMilli());
        }
    }

    private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }

    private void rollback(SQLException cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void autoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw fail("reset auto-commit", e);
        }
    }

    private static StoreException fail(String what, SQLException e) {
        return new StoreException("cannot " + what + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw fail("close the alert store", e);
        }
    }
}
