package dev.plumb.analytics.cost;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads pod usage from a CSV file (with a header line) or a Parquet file, read by DuckDB's
 * {@code read_csv} / {@code read_parquet}. One row is one sample of one pod; the columns:
 * {@link #COLUMNS}. Rows already imported with the same pod and time are replaced, so importing
 * a file twice changes nothing. The file is read twice, straight into the tables without rows
 * in Java: once for its pods (attributed and added to the pod dictionary), once for the samples. A file with a {@code node} column and no {@code pod} column is
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
        // Pass one reads only the pods' columns: attribution runs once per pod, not once per sample.
        List<String> keys = new ArrayList<>(List.of("pod"));
        for (String c : List.of("namespace", "service", "team", "node_pool", "labels")) {
            if (types.containsKey(c)) {
                keys.add(c);
            }
        }
        StringBuilder raw = new StringBuilder("SELECT ");
        for (String k : keys) {
            raw.append("coalesce(CAST(\"").append(k).append("\" AS VARCHAR), '') AS ").append(k).append("_in, ");
        }
        String rawKeys = String.join(", ", keys.stream().map(k -> k + "_in").toList());
        String pods = """
                CREATE OR REPLACE TEMP TABLE cost_import_pods AS
                SELECT *, %s AS service, %s AS team FROM (
                    SELECT %s, pod_in AS pod, coalesce(nullif(%s, ''), 'unknown') AS namespace, %s AS service_in,
                           %s AS team_in, %s AS node_pool, %s AS labels, 'usage' AS origin,
                           min(ts) AS first_ts, count(*) FILTER (WHERE ts IS NULL) AS without_ts, count(*) AS samples
                    FROM (%s %s AS ts FROM %s) GROUP BY ALL) u
                """.formatted(Attribution.service("u.pod", "u.service_in"), Attribution.team("u.team_in", "u.namespace"),
                rawKeys, in(keys, "namespace", "NULL"), in(keys, "service", "NULL"), in(keys, "team", "NULL"),
                in(keys, "node_pool", "''"), "coalesce(nullif(" + in(keys, "labels", "''") + ", ''), '{}')::JSON", raw, time(types), reader);
        try (PreparedStatement stage = connection.prepareStatement(pods)) {
            stage.setString(1, file.toString());
            stage.execute();
        }
        try (Statement s = connection.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT coalesce(sum(samples) FILTER (WHERE pod = ''), 0),"
                    + " coalesce(sum(without_ts), 0) FROM cost_import_pods")) {
                r.next();
                if (r.getLong(1) > 0 || r.getLong(2) > 0) {
                    s.execute("DROP TABLE cost_import_pods");
                    throw new IllegalArgumentException("usage file " + file + " has " + r.getLong(1)
                            + " rows without a pod and " + r.getLong(2) + " without a ts; every row needs both");
                }
            }
            UsageSamples.registerPods(connection, "SELECT * FROM cost_import_pods");
            s.execute("""
                    CREATE OR REPLACE TEMP TABLE cost_import_keys AS
                    SELECT i.*, p.pod_id, p.pod_key FROM cost_import_pods i JOIN cost_pod p
                      ON p.pod = i.pod AND p.namespace = i.namespace AND p.service = i.service AND p.team = i.team
                     AND p.node_pool = i.node_pool AND p.labels::VARCHAR = i.labels::VARCHAR
                     AND p.origin = i.origin""");
            s.execute("DROP TABLE cost_import_pods");
        }
        // Pass two: the samples, keyed by joining their raw pod columns to the pods of pass one.
        String on = String.join(" AND ", keys.stream().map(k -> "r." + k + "_in = k." + k + "_in").toList());
        String samples = """
                SELECT k.pod_id, k.pod_key, r.* EXCLUDE (%s), 'import' AS source
                FROM (%s %s AS ts, %s AS interval_s, %s AS cpu_usage, %s AS cpu_request,
                      %s AS memory_usage, %s AS memory_request, %s AS storage, %s AS egress_region,
                      %s AS egress_internet FROM %s) r JOIN cost_import_keys k ON %s
                """.formatted(rawKeys, raw, time(types),number(types, "interval_seconds", "NULL"),
                number(types, "cpu_usage_cores", "0"), number(types, "cpu_request_cores", "0"),
                number(types, "memory_usage_bytes", "0"), number(types, "memory_request_bytes", "0"),
                number(types, "storage_bytes", "0"), number(types, "egress_region_bytes", "0"),
                number(types, "egress_internet_bytes", "0"), reader, on);
        try (Statement s = connection.createStatement()) {
            boolean overlaps;
            try (ResultSet r = s.executeQuery("SELECT EXISTS (SELECT 1 FROM cost_sample WHERE source = 'import'"
                    + " AND ts >= (SELECT min(first_ts) FROM cost_import_keys)"
                    + " AND pod_id IN (SELECT pod_id FROM cost_import_keys))")) {
                r.next();
                overlaps = r.getBoolean(1);
            }
            if (overlaps) {
                // Importing a file again replaces its samples instead of counting them twice.
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM cost_sample c USING ("
                        + samples + ") n WHERE c.source = 'import' AND c.ts >= (SELECT min(first_ts) FROM"
                        + " cost_import_keys) AND c.pod_id = n.pod_id AND c.ts = n.ts")) {
                    delete.setString(1, file.toString());
                    delete.execute();
                }
            }
            long n;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO cost_sample " + samples)) {
                insert.setString(1, file.toString());
                n = insert.executeUpdate();
            }
            s.execute("INSERT INTO cost_dirty SELECT pod_id, min(first_ts) FROM cost_import_keys GROUP BY pod_id");
            s.execute("DROP TABLE cost_import_keys");
            return n;
        }
    }

    /** The raw column {@code column}_in when the file has it, else {@code absent}. */
    private static String in(List<String> keys, String column, String absent) {
        return keys.contains(column) ? column + "_in" : absent;
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
