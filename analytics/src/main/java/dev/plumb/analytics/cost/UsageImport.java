package dev.plumb.analytics.cost;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads pod usage from a CSV file (with a header line) or a Parquet file, read by DuckDB's
 * {@code read_csv} / {@code read_parquet}. One row is one sample of one pod; the columns:
 * {@link #COLUMNS}. Rows already imported with the same pod and time are replaced, so importing
 * a file twice changes nothing. A file with a {@code node} column and no {@code pod} column is
 * node capacity instead ({@link NodeCapacity#COLUMNS}).
 */
final class UsageImport {
    /** Every column an import may have, with what it holds; {@code pod} and {@code ts} are required. */
    static final Map<String, String> COLUMNS = columns();

    private UsageImport() {
    }

    private static Map<String, String> columns() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("pod", "pod name (required)");
        c.put("ts", "sample time (required): RFC 3339, a timestamp (UTC), or epoch milliseconds");
        c.put("namespace", "Kubernetes namespace");
        c.put("service", "service; default: the pod name without its hash");
        c.put("team", "team; default: the pricing file's team of the namespace, else the namespace");
        c.put("node_pool", "node pool, for node-pool price overrides");
        c.put("labels", "pod labels as a JSON object, for label price overrides");
        c.put("interval_seconds", "sampling interval; needed only for a pod's last sample when it differs from the pod's usual gap");
        c.put("cpu_usage_cores", "measured CPU, cores");
        c.put("cpu_request_cores", "requested CPU, cores");
        c.put("memory_usage_bytes", "measured memory (working set), bytes");
        c.put("memory_request_bytes", "requested memory, bytes");
        c.put("storage_bytes", "volume capacity, bytes");
        c.put("egress_region_bytes", "bytes sent within the region from this sample to the next");
        c.put("egress_internet_bytes", "bytes sent to the internet from this sample to the next");
        return Collections.unmodifiableMap(c);
    }

    /** Imports {@code file}; returns the number of samples (pod or node) read. */
    static long load(Connection connection, Path file) throws SQLException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("usage file " + file + " does not exist or is not a file");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String reader;
        if (name.endsWith(".csv") || name.endsWith(".csv.gz")) {
            reader = "read_csv(?, header = true, auto_detect = true)";
        } else if (name.endsWith(".parquet")) {
            reader = "read_parquet(?)";
        } else {
            throw new IllegalArgumentException("usage file " + file + " must end in .csv or .parquet");
        }
        Map<String, String> types = describe(connection, reader, file);
        if (types.containsKey("node") && !types.containsKey("pod")) {
            return NodeCapacity.load(connection, file, reader, types, types.containsKey("ts") ? time(types) : "NULL");
        }
        for (String column : types.keySet()) {
            if (!COLUMNS.containsKey(column)) {
                throw new IllegalArgumentException("usage file " + file + " has an unknown column '" + column
                        + "'; the columns are " + String.join(", ", COLUMNS.keySet()));
            }
        }
        for (String required : List.of("pod", "ts")) {
            if (!types.containsKey(required)) {
                throw new IllegalArgumentException("usage file " + file + " has no '" + required + "' column ("
                        + COLUMNS.get(required) + ")");
            }
        }
        String select = """
                SELECT pod, namespace, %s AS service, %s AS team, node_pool, labels, ts, interval_s,
                       cpu_usage, cpu_request, memory_usage, memory_request, storage, egress_region, egress_internet,
                       'import'
                FROM (SELECT CAST(pod AS VARCHAR) AS pod, coalesce(nullif(%s, ''), 'unknown') AS namespace, %s AS service_in,
                             %s AS team_in, coalesce(%s, '') AS node_pool, coalesce(%s, '{}') AS labels, %s AS ts,
                             %s AS interval_s, %s AS cpu_usage, %s AS cpu_request, %s AS memory_usage,
                             %s AS memory_request, %s AS storage, %s AS egress_region, %s AS egress_internet
                      FROM %s) u
                """.formatted(
                Attribution.service("u.pod", "u.service_in"), Attribution.team("u.team_in", "u.namespace"),
                text(types, "namespace"), text(types, "service"), text(types, "team"), text(types, "node_pool"),
                text(types, "labels"), time(types), number(types, "interval_seconds", "NULL"),
                number(types, "cpu_usage_cores", "0"), number(types, "cpu_request_cores", "0"),
                number(types, "memory_usage_bytes", "0"), number(types, "memory_request_bytes", "0"),
                number(types, "storage_bytes", "0"), number(types, "egress_region_bytes", "0"),
                number(types, "egress_internet_bytes", "0"), reader);
        try (PreparedStatement stage = connection.prepareStatement(
                "CREATE OR REPLACE TEMP TABLE cost_import AS " + select)) {
            stage.setString(1, file.toString());
            stage.execute();
        }
        try (Statement s = connection.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT count(*) FILTER (WHERE pod IS NULL OR pod = ''),"
                    + " count(*) FILTER (WHERE ts IS NULL) FROM cost_import")) {
                r.next();
                if (r.getLong(1) > 0 || r.getLong(2) > 0) {
                    s.execute("DROP TABLE cost_import");
                    throw new IllegalArgumentException("usage file " + file + " has " + r.getLong(1)
                            + " rows without a pod and " + r.getLong(2) + " without a ts; every row needs both");
                }
            }
            // The time bound lets DuckDB skip row groups before the file's first sample.
            s.execute("DELETE FROM cost_usage WHERE source = 'import' AND ts >= (SELECT min(ts) FROM cost_import)"
                    + " AND (pod, ts) IN (SELECT pod, ts FROM cost_import)");
            long n = s.executeUpdate("INSERT INTO cost_usage SELECT * FROM cost_import");
            s.execute("INSERT INTO cost_dirty SELECT pod, min(ts) FROM cost_import GROUP BY pod");
            s.execute("DROP TABLE cost_import");
            return n;
        }
    }

    private static Map<String, String> describe(Connection connection, String reader, Path file) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (PreparedStatement p = connection.prepareStatement("DESCRIBE SELECT * FROM " + reader)) {
            p.setString(1, file.toString());
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    types.put(r.getString("column_name").trim().toLowerCase(Locale.ROOT), r.getString("column_type"));
                }
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot read usage file " + file + ": " + e.getMessage(), e);
        }
        return types;
    }

    private static String text(Map<String, String> types, String column) {
        return types.containsKey(column) ? "CAST(\"" + column + "\" AS VARCHAR)" : "NULL";
    }

    private static String number(Map<String, String> types, String column, String absent) {
        return types.containsKey(column) ? "coalesce(CAST(\"" + column + "\" AS DOUBLE), " + absent + ")" : absent;
    }

    /** {@code ts} as a UTC {@code TIMESTAMP}, whichever of the accepted forms the file uses. */
    private static String time(Map<String, String> types) {
        String type = types.get("ts").toUpperCase(Locale.ROOT);
        if (type.contains("WITH TIME ZONE")) {
            return "timezone('UTC', ts)";
        }
        if (type.startsWith("TIMESTAMP") || type.equals("DATE")) {
            return "CAST(ts AS TIMESTAMP)";
        }
        if (type.matches("(BIG|U|SMALL|TINY|HUGE)?INT(EGER)?|UBIGINT|DOUBLE|FLOAT|DECIMAL.*")) {
            return "make_timestamp(CAST(ts AS BIGINT) * 1000)";
        }
        return "timezone('UTC', TRY_CAST(CAST(ts AS VARCHAR) AS TIMESTAMPTZ))";
    }
}
