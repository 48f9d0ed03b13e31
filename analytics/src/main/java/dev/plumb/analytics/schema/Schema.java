package dev.plumb.analytics.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables of the store ({@code span_rows} read through the view {@code spans},
 * {@code span_events}, {@code span_links}, {@code logs}, {@code metric_points},
 * {@code metric_exemplars}, and the query tables). The DDL lives in the resource
 * {@code dev/plumb/analytics/schema/schema.sql} so that there is exactly one place to read it;
 * every statement is idempotent, so applying it to an existing database is harmless.
 */
public final class Schema {
    /** Classpath location of the DDL. */
    public static final String RESOURCE = "/dev/plumb/analytics/schema/schema.sql";

    private Schema() {
    }

    /** The DDL text exactly as shipped. */
    public static String ddl() {
        try (InputStream in = Schema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + RESOURCE + " is missing from the analytics jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + RESOURCE, e);
        }
    }

    /** The DDL split into statements (a line holding only {@code ;} ends one). */
    public static List<String> statements() {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : ddl().split("\n")) {
            if (line.strip().equals(";")) {
                if (!current.isEmpty()) {
                    out.add(current.toString().strip());
                }
                current.setLength(0);
            } else if (!line.strip().startsWith("--") || !current.isEmpty()) {
                current.append(line).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    /**
     * Creates whatever tables and views are missing and moves the spans of an older database
     * into {@code span_rows}, all in one transaction: a process that dies half way leaves the
     * database as it found it.
     */
    public static void apply(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN TRANSACTION");
            try {
                if (isBaseTable(connection, "spans")) {
                    // The layout before span_rows (see schema.sql). DuckDB renames no table with an index.
                    statement.execute("DROP INDEX IF EXISTS spans_by_trace");
                    statement.execute("ALTER TABLE spans RENAME TO spans_legacy");
                }
                for (String sql : statements()) {
                    statement.execute(sql);
                }
                statement.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                try {
                    statement.execute("ROLLBACK");
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    private static boolean isBaseTable(Connection connection, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT table_type FROM information_schema.tables"
                + " WHERE table_schema = 'main' AND table_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && "BASE TABLE".equals(rs.getString(1));
            }
        }
    }
}
