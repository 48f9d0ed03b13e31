package dev.plumb.analytics.cost;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Node capacity, the denominator of idle cost: samples of each node's allocatable CPU (cores) and
 * memory (bytes) in {@code cost_node_capacity}, one row per node, time and resource, so that the
 * two gauges may arrive at different times. A sample stands for the time until the node's next
 * sample of that resource, exactly as a pod sample does ({@link CostFormula}), and the capacity
 * of each hour is priced with the default or node-pool prices in force when it starts (namespace
 * and label overrides describe pods, not nodes).
 *
 * <p>Sources: OTLP gauges {@code k8s.node.cpu.allocatable} / {@code k8s.node.memory.allocatable}
 * (the semantic-convention names) and {@code k8s.node.allocatable_cpu} /
 * {@code k8s.node.allocatable_memory} (the names the Collector's {@code k8s_cluster} receiver
 * emits; {@code kubeletstats} has no allocatable metric), with {@code k8s.node.name} and
 * optionally {@code k8s.node.pool}; and an import file with a {@code node} column and no
 * {@code pod} column ({@link #COLUMNS}).
 */
final class NodeCapacity {
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final String CPU_NAMES = "'k8s.node.cpu.allocatable', 'k8s.node.allocatable_cpu'";
    private static final String MEMORY_NAMES = "'k8s.node.memory.allocatable', 'k8s.node.allocatable_memory'";

    /** The columns of a node capacity import file; {@code node} and {@code ts} are required. */
    static final Map<String, String> COLUMNS = columns();

    /**
     * Per hour of {@code [?, ?)} (two timestamps) with node capacity: {@code hour},
     * {@code cpu_cost} and {@code memory_cost} of all nodes' allocatable capacity.
     */
    static final String CAPACITY_HOURS = """
            bounds AS (SELECT ?::TIMESTAMP AS f, ?::TIMESTAMP AS t),
            cap_ordered AS (
                SELECT c.*, lead(ts) OVER w AS next_ts, lag(ts) OVER w AS prev_ts
                FROM cost_node_capacity c, bounds
                WHERE c.ts >= bounds.f - 2 * %2$s AND c.ts < bounds.t
                WINDOW w AS (PARTITION BY node, resource ORDER BY ts)
            ), cap_segments AS (
                SELECT node, node_pool, resource, value, ts AS seg_start, %3$s AS seg_end
                FROM cap_ordered
            ), cap_pieces AS (
                SELECT node_pool, resource, value, hour,
                       epoch(least(seg_end, hour + INTERVAL 1 HOUR)) - epoch(greatest(seg_start, hour)) AS secs
                FROM (SELECT *, unnest(generate_series(date_trunc('hour', seg_start), seg_end - INTERVAL 1 MICROSECOND,
                                                       INTERVAL 1 HOUR)) AS hour
                      FROM cap_segments WHERE seg_end > seg_start)
            ), cap_pool_hours AS (
                SELECT hour, node_pool,
                       coalesce(sum(value * secs) FILTER (WHERE resource = 'cpu'), 0) / 3600 AS cpu_ch,
                       coalesce(sum(value * secs) FILTER (WHERE resource = 'memory'), 0) / 3600 / %1$s AS memory_gh
                FROM cap_pieces, bounds WHERE hour >= bounds.f AND hour < bounds.t
                GROUP BY ALL
            ), cap_priced AS (
                SELECT n.hour, n.cpu_ch * p.cpu AS cpu_cost, n.memory_gh * p.memory AS memory_cost
                FROM cap_pool_hours n JOIN cost_prices p
                  ON n.hour >= p.valid_from AND n.hour < p.valid_to
                 AND (p.scope = 'default' OR (p.scope = 'node_pool' AND p.value = n.node_pool))
                QUALIFY row_number() OVER (PARTITION BY n.hour, n.node_pool ORDER BY p.priority DESC) = 1
            ), capacity AS (
                SELECT hour, sum(cpu_cost) AS cpu_cost, sum(memory_cost) AS memory_cost FROM cap_priced GROUP BY hour
            )""".formatted(GIB, CostFormula.MAX_GAP, CostFormula.segmentEnd());

    private NodeCapacity() {
    }

    private static Map<String, String> columns() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("node", "node name (required)");
        c.put("ts", "sample time (required): RFC 3339, a timestamp (UTC), or epoch milliseconds");
        c.put("node_pool", "node pool, for node-pool price overrides");
        c.put("interval_seconds", "sampling interval; needed only for a node's last sample when it differs from its usual gap");
        c.put("cpu_allocatable_cores", "allocatable CPU, cores");
        c.put("memory_allocatable_bytes", "allocatable memory, bytes");
        return Collections.unmodifiableMap(c);
    }

    /**
     * Loads a node capacity file already described as {@code types}, read by {@code reader} (a
     * table function with one {@code ?}, the file); returns the rows read. Rows already imported
     * for the same node and time are replaced.
     */
    static long load(Connection connection, Path file, String reader, Map<String, String> types,
                     String time) throws SQLException {
        for (String column : types.keySet()) {
            if (!COLUMNS.containsKey(column)) {
                throw new IllegalArgumentException("node capacity file " + file + " has an unknown column '" + column
                        + "'; the columns are " + String.join(", ", COLUMNS.keySet()));
            }
        }
        if (!types.containsKey("ts")) {
            throw new IllegalArgumentException("node capacity file " + file + " has no 'ts' column (" + COLUMNS.get("ts") + ")");
        }
        if (!types.containsKey("cpu_allocatable_cores") && !types.containsKey("memory_allocatable_bytes")) {
            throw new IllegalArgumentException("node capacity file " + file + " has neither cpu_allocatable_cores nor"
                    + " memory_allocatable_bytes; add at least one");
        }
        String select = """
                SELECT node, node_pool, ts, interval_s, r.resource,
                       CASE r.resource WHEN 'cpu' THEN cpu ELSE memory END AS value, 'import' AS source
                FROM (SELECT CAST(node AS VARCHAR) AS node, coalesce(%s, '') AS node_pool, %s AS ts,
                             %s AS interval_s, %s AS cpu, %s AS memory FROM %s) n,
                     (VALUES ('cpu'), ('memory')) r(resource)
                WHERE (CASE r.resource WHEN 'cpu' THEN cpu ELSE memory END) IS NOT NULL
                """.formatted(
                types.containsKey("node_pool") ? "CAST(node_pool AS VARCHAR)" : "NULL", time,
                numberOrNull(types, "interval_seconds"), numberOrNull(types, "cpu_allocatable_cores"),
                numberOrNull(types, "memory_allocatable_bytes"), reader);
        try (PreparedStatement stage = connection.prepareStatement(
                "CREATE OR REPLACE TEMP TABLE cost_node_import AS " + select)) {
            stage.setString(1, file.toString());
            stage.execute();
        }
        try (Statement s = connection.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT count(*) FILTER (WHERE node IS NULL OR node = ''),"
                    + " count(*) FILTER (WHERE ts IS NULL), count(*) FILTER (WHERE value < 0) FROM cost_node_import")) {
                r.next();
                if (r.getLong(1) > 0 || r.getLong(2) > 0 || r.getLong(3) > 0) {
                    long noNode = r.getLong(1);
                    long noTs = r.getLong(2);
                    long negative = r.getLong(3);
                    s.execute("DROP TABLE cost_node_import");
                    throw new IllegalArgumentException("node capacity file " + file + " has " + noNode
                            + " values without a node, " + noTs + " without a ts and " + negative
                            + " below zero; every row needs a node, a ts and capacities >= 0");
                }
            }
            long rows;
            try (ResultSet r = s.executeQuery("SELECT count(DISTINCT (node, ts)) FROM cost_node_import")) {
                r.next();
                rows = r.getLong(1);
            }
            s.execute("DELETE FROM cost_node_capacity c USING cost_node_import i WHERE c.source = 'import'"
                    + " AND c.node = i.node AND c.ts = i.ts AND c.resource = i.resource");
            s.execute("INSERT INTO cost_node_capacity SELECT * FROM cost_node_import");
            s.execute("DROP TABLE cost_node_import");
            return rows;
        }
    }

    /**
     * Copies the node capacity points that arrived since the last call (by {@code ingest_seq},
     * watermark {@code otlp_node_seq} in {@code cost_state}) into {@code cost_node_capacity}.
     * Unlike pod usage, a node point needs nothing from the points around it, so each is copied
     * once and stays when retention removes the point.
     */
    static void derive(Connection connection) throws SQLException {
        String seen = CostTables.state(connection, "otlp_node_seq");
        String arrived = " FROM metric_points WHERE name IN (" + CPU_NAMES + ", " + MEMORY_NAMES + ")"
                + " AND value IS NOT NULL" + (seen == null ? "" : " AND ingest_seq > " + Long.parseLong(seen));
        long lastSeq;
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT max(ingest_seq)" + arrived)) {
            r.next();
            if (r.getObject(1) == null) {
                return;
            }
            lastSeq = r.getLong(1);
        }
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE cost_node_otlp AS SELECT node, node_pool, ts, NULL::DOUBLE AS"
                    + " interval_s, resource, last(value ORDER BY ingest_seq) AS value, 'otlp' AS source FROM (SELECT "
                    + OtlpUsage.attribute("k8s.node.name") + " AS node, coalesce(" + OtlpUsage.attribute("k8s.node.pool")
                    + ", '') AS node_pool, date_trunc('second', make_timestamp(time_nanos // 1000)) AS ts,"
                    + " CASE WHEN name IN (" + CPU_NAMES + ") THEN 'cpu' ELSE 'memory' END AS resource, value, ingest_seq"
                    + arrived + ") WHERE node IS NOT NULL GROUP BY ALL");
            s.execute("DELETE FROM cost_node_capacity c USING cost_node_otlp o WHERE c.source = 'otlp'"
                    + " AND c.node = o.node AND c.ts = o.ts AND c.resource = o.resource");
            s.execute("INSERT INTO cost_node_capacity SELECT * FROM cost_node_otlp");
            s.execute("DROP TABLE cost_node_otlp");
        }
        CostTables.setState(connection, "otlp_node_seq", Long.toString(lastSeq));
    }

    /** Adds node capacity samples from inside the process. */
    static void record(Connection connection, List<NodeSample> samples, String source) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO cost_node_capacity VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (NodeSample n : samples) {
                for (String resource : List.of("cpu", "memory")) {
                    insert.setString(1, n.node());
                    insert.setString(2, n.nodePool() == null ? "" : n.nodePool());
                    insert.setObject(3, CostTables.utc(n.ts()));
                    insert.setObject(4, n.intervalSeconds());
                    insert.setString(5, resource);
                    insert.setDouble(6, resource.equals("cpu") ? n.cpuAllocatableCores() : n.memoryAllocatableBytes());
                    insert.setString(7, source);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    private static String numberOrNull(Map<String, String> types, String column) {
        return types.containsKey(column) ? "CAST(\"" + column + "\" AS DOUBLE)" : "NULL::DOUBLE";
    }
}
