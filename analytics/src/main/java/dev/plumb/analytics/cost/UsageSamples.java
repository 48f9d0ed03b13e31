package dev.plumb.analytics.cost;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes usage samples: their pods into the dictionary {@code cost_pod} (names and attribution
 * once per pod), the samples into {@code cost_sample} with integer keys, and the pods into
 * {@code cost_dirty} so that the next refresh recomputes their hours. A year of samples then
 * carries two integers instead of six strings per row, which is what keeps its import and
 * materialisation within a minute.
 */
final class UsageSamples {
    /** A sample's origin from its {@code source}: the deploy adapter's declarations are not usage. */
    static final String ORIGIN = "CASE WHEN source = 'declared' THEN 'declared' ELSE 'usage' END";

    /** The columns that identify a pod in the dictionary, {@code labels} as text. */
    private static final String POD_TUPLE = "pod, namespace, service, team, node_pool, labels::VARCHAR AS labels, origin";

    private UsageSamples() {
    }

    /**
     * Adds to {@code cost_pod} every pod of {@code pods} (an SQL relation with the columns pod,
     * namespace, service, team, node_pool, labels and origin) that it does not hold yet. A new
     * pod name gets a new timeline ({@code pod_id}); a known name with other attributes keeps its
     * timeline under a new key.
     */
    static void registerPods(Connection connection, String pods) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE cost_new_pods AS SELECT DISTINCT " + POD_TUPLE + " FROM (" + pods
                    + ") EXCEPT SELECT " + POD_TUPLE + " FROM cost_pod");
            long maxKey;
            long maxId;
            try (ResultSet r = s.executeQuery("SELECT coalesce(max(pod_key), 0), coalesce(max(pod_id), 0) FROM cost_pod")) {
                r.next();
                maxKey = r.getLong(1);
                maxId = r.getLong(2);
            }
            s.execute("""
                    INSERT INTO cost_pod
                    WITH known AS (SELECT pod, min(pod_id) AS pod_id FROM cost_pod GROUP BY pod),
                         fresh AS (SELECT pod, %2$d + row_number() OVER (ORDER BY pod) AS pod_id
                                   FROM (SELECT DISTINCT pod FROM cost_new_pods) WHERE pod NOT IN (SELECT pod FROM known))
                    SELECT %1$d + row_number() OVER (ORDER BY n.pod, n.namespace, n.service, n.team, n.node_pool, n.labels,
                                                     n.origin),
                           coalesce(k.pod_id, f.pod_id), n.pod, n.namespace, n.service, n.team, n.node_pool,
                           n.labels::JSON, n.origin
                    FROM cost_new_pods n LEFT JOIN known k USING (pod) LEFT JOIN fresh f USING (pod)
                    """.formatted(maxKey, maxId));
            s.execute("DROP TABLE cost_new_pods");
        }
    }

    /**
     * Stores the samples of {@code staged} (a table with {@link CostTables#SAMPLE_COLUMNS}):
     * first removing the stored samples of source {@code replacing} (unless null) with the same
     * pod and time, so that a sample sent again replaces the old one. Returns the samples stored.
     */
    static long store(Connection connection, String staged, String replacing) throws SQLException {
        registerPods(connection, "SELECT *, " + ORIGIN + " AS origin FROM " + staged);
        try (Statement s = connection.createStatement()) {
            s.execute("""
                    CREATE OR REPLACE TEMP TABLE cost_keyed AS
                    SELECT p.pod_id, p.pod_key, s.ts, s.interval_s, s.cpu_usage, s.cpu_request, s.memory_usage,
                           s.memory_request, s.storage, s.egress_region, s.egress_internet, s.source
                    FROM %s s JOIN cost_pod p
                      ON p.pod = s.pod AND p.namespace = s.namespace AND p.service = s.service AND p.team = s.team
                     AND p.node_pool = s.node_pool AND p.labels::VARCHAR = s.labels::VARCHAR
                     AND p.origin = (%s)
                    """.formatted(staged, ORIGIN.replace("source", "s.source")));
            if (replacing != null) {
                // The time bound lets DuckDB skip row groups before the earliest staged sample.
                s.execute("DELETE FROM cost_sample c USING cost_keyed k WHERE c.source = '" + replacing.replace("'", "''")
                        + "' AND c.ts >= (SELECT min(ts) FROM cost_keyed) AND c.pod_id = k.pod_id AND c.ts = k.ts");
            }
            long n = s.executeUpdate("INSERT INTO cost_sample SELECT * FROM cost_keyed");
            markDirty(connection, "cost_keyed");
            s.execute("DROP TABLE cost_keyed");
            return n;
        }
    }

    /** Marks the pods of {@code samples} (a relation with pod_id and ts) for recomputation from their earliest. */
    static void markDirty(Connection connection, String samples) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("INSERT INTO cost_dirty SELECT pod_id, min(ts) FROM " + samples + " GROUP BY pod_id");
        }
    }
}
