package dev.plumb.analytics.cost;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Turns Kubernetes usage that arrived as OTLP metrics ({@code metric_points}) into usage
 * samples, with the names the OpenTelemetry Collector's {@code kubeletstats} and
 * {@code k8s_cluster} receivers emit: {@code k8s.pod.cpu.usage} (cores),
 * {@code k8s.pod.memory.working_set} (else {@code k8s.pod.memory.usage}, bytes),
 * {@code k8s.container.cpu_request} / {@code k8s.container.cpu.request} (cores),
 * {@code k8s.container.memory_request} / {@code k8s.container.memory.request} (bytes),
 * {@code k8s.volume.capacity} (bytes) and {@code k8s.pod.network.io} (bytes, direction
 * {@code transmit}; {@code plumb.egress.scope=internet} marks traffic to the internet).
 *
 * <p>A pod's sample times are the times of any of its points; each metric's value at a sample
 * is its latest point at or before it, summed over containers, volumes and interfaces. A
 * network counter's increase between two points belongs to the earlier one, since a sample
 * stands for the time up to the next. Attributes are read from the point first, then its
 * resource.
 */
final class OtlpUsage {
    private static final String CPU_USAGE = "'k8s.pod.cpu.usage'";
    private static final String MEMORY_WORKING_SET = "'k8s.pod.memory.working_set'";
    private static final String MEMORY_USAGE = "'k8s.pod.memory.usage'";
    private static final String CPU_REQUEST = "'k8s.container.cpu_request', 'k8s.container.cpu.request'";
    private static final String MEMORY_REQUEST = "'k8s.container.memory_request', 'k8s.container.memory.request'";
    private static final String VOLUME = "'k8s.volume.capacity'";
    private static final String NETWORK = "'k8s.pod.network.io'";

    private static final String NAMES = String.join(", ", CPU_USAGE, MEMORY_WORKING_SET, MEMORY_USAGE, CPU_REQUEST,
            MEMORY_REQUEST, VOLUME, NETWORK);

    /** The samples from {@code ?} (a timestamp) on, from the points from {@code ?} (epoch nanos) on. */
    private static final String DERIVE = """
            WITH pts AS (
                SELECT name, value, temporality,
                       date_trunc('second', make_timestamp(time_nanos // 1000)) AS ts,
                       %1$s AS pod, %2$s AS namespace, %3$s AS svc, %4$s AS deployment, %5$s AS statefulset,
                       %6$s AS team, %7$s AS node_pool,
                       coalesce(%8$s, %9$s, %10$s, '') AS part,
                       lower(coalesce(%11$s, %12$s, '')) AS direction,
                       lower(coalesce(%13$s, 'region')) AS egress_scope
                FROM metric_points
                WHERE name IN (%14$s) AND value IS NOT NULL AND time_nanos >= ?
            ), pods AS (
                SELECT pod, coalesce(nullif(max(namespace), ''), 'unknown') AS namespace, max(svc) AS svc,
                       max(deployment) AS deployment, max(statefulset) AS statefulset,
                       max(team) AS team, coalesce(max(node_pool), '') AS node_pool
                FROM pts WHERE pod IS NOT NULL GROUP BY pod
            ), samples AS (
                SELECT DISTINCT pod, ts FROM pts WHERE pod IS NOT NULL
            ), %16$s, %17$s, %18$s, %19$s, %20$s, %21$s,
            increments AS (
                SELECT pod, egress_scope,
                       lag(ts) OVER w AS sample_ts,
                       CASE WHEN temporality = 'DELTA' THEN value
                            WHEN value >= lag(value) OVER w THEN value - lag(value) OVER w
                            ELSE value END AS bytes
                FROM pts WHERE name = %15$s AND direction = 'transmit' AND pod IS NOT NULL
                WINDOW w AS (PARTITION BY pod, part, egress_scope ORDER BY ts)
            ), egress AS (
                SELECT pod, sample_ts AS ts,
                       sum(bytes) FILTER (WHERE egress_scope <> 'internet') AS region,
                       sum(bytes) FILTER (WHERE egress_scope = 'internet') AS internet
                FROM increments WHERE sample_ts IS NOT NULL GROUP BY ALL
            )
            SELECT s.pod, p.namespace, %22$s, %23$s, p.node_pool, '{}'::JSON, s.ts, NULL::DOUBLE,
                   coalesce(cpu_use.v, 0), coalesce(cpu_req.v, 0),
                   coalesce(mem_ws.v, mem_use.v, 0), coalesce(mem_req.v, 0),
                   coalesce(volume.v, 0), coalesce(egress.region, 0), coalesce(egress.internet, 0), 'otlp'
            FROM samples s JOIN pods p USING (pod)
            LEFT JOIN cpu_use USING (pod, ts) LEFT JOIN cpu_req USING (pod, ts)
            LEFT JOIN mem_ws USING (pod, ts) LEFT JOIN mem_use USING (pod, ts) LEFT JOIN mem_req USING (pod, ts)
            LEFT JOIN volume USING (pod, ts) LEFT JOIN egress USING (pod, ts)
            WHERE s.ts >= ?
            """.formatted(
            attribute("k8s.pod.name"), attribute("k8s.namespace.name"), serviceName(),
            attribute("k8s.deployment.name"), attribute("k8s.statefulset.name"), attribute("team"),
            attribute("k8s.node.pool"),
            attribute("k8s.container.name"), attribute("k8s.volume.name"), attribute("interface"),
            attribute("direction"), attribute("network.io.direction"), attribute("plumb.egress.scope"),
            NAMES, NETWORK,
            latest("cpu_use", CPU_USAGE), latest("mem_ws", MEMORY_WORKING_SET), latest("mem_use", MEMORY_USAGE),
            latest("cpu_req", CPU_REQUEST), latest("mem_req", MEMORY_REQUEST), latest("volume", VOLUME),
            Attribution.service("s.pod", "p.svc", "p.deployment", "p.statefulset"),
            Attribution.team("p.team", "p.namespace"));

    /** How much older than the newest point a late point may be and still be costed. */
    static final Duration LATE_LIMIT = Duration.ofDays(35);

    private OtlpUsage() {
    }

    /**
     * Derives the usage of the points that arrived since the last call: those whose
     * {@code ingest_seq} (arrival order) is above the watermark {@code otlp_seq} in
     * {@code cost_state}, whatever their timestamps, so a backfill or a collector that was
     * offline for days is costed too, once. Points more than {@link #LATE_LIMIT} older than the
     * newest point ever derived ({@code otlp_until}) are not counted: with the default 30-day
     * metric retention that is every point still kept. Each pod with new points is re-derived
     * from its sample before its earliest new point (a counter's increase belongs to the sample
     * before it), reading a day more of points for the values in force then; a sample whose
     * values changed replaces the stored one and marks its pod in {@code cost_dirty}. Stored
     * samples that no point reproduces stay: their points were removed by retention, but their
     * cost is history.
     */
    static void derive(Connection connection) throws SQLException {
        if (!hasIngestOrder(connection)) {
            return;
        }
        String seen = CostTables.state(connection, "otlp_seq");
        // Rows written before ingest_seq existed have none: the first derivation takes everything.
        String arrived = "FROM metric_points WHERE name IN (" + NAMES + ")"
                + (seen == null ? "" : " AND ingest_seq > " + Long.parseLong(seen));
        long lastSeq;
        long newest;
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT coalesce(max(ingest_seq), 0), max(time_nanos) " + arrived)) {
            r.next();
            if (r.getObject(2) == null) {
                return;
            }
            lastSeq = r.getLong(1);
            newest = r.getLong(2);
        }
        String until = CostTables.state(connection, "otlp_until");
        if (until != null) {
            newest = Math.max(newest, Long.parseLong(until));
        }
        LocalDateTime cut = null;
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE cost_otlp_arrived AS SELECT pod, date_trunc('second',"
                    + " make_timestamp(min(time_nanos) // 1000)) AS first_ts FROM (SELECT " + attribute("k8s.pod.name")
                    + " AS pod, time_nanos " + arrived + " AND time_nanos >= " + (newest - LATE_LIMIT.toNanos())
                    + ") WHERE pod IS NOT NULL GROUP BY pod");
            LocalDateTime earliest;
            try (ResultSet r = s.executeQuery("SELECT min(first_ts) FROM cost_otlp_arrived")) {
                r.next();
                earliest = r.getObject(1, LocalDateTime.class);
            }
            if (earliest != null) {
                try (PreparedStatement q = connection.prepareStatement("SELECT min(coalesce(b.before_ts, a.first_ts))"
                        + " FROM cost_otlp_arrived a LEFT JOIN (SELECT a.pod, max(u.ts) AS before_ts FROM"
                        + " cost_otlp_arrived a JOIN cost_usage u ON u.pod = a.pod AND u.ts < a.first_ts"
                        + " AND u.ts >= a.first_ts - " + CostFormula.MAX_GAP + " WHERE u.source = 'otlp' AND u.ts >= ?"
                        + " GROUP BY a.pod) b USING (pod)")) {
                    q.setObject(1, earliest.minusDays(1));
                    try (ResultSet r = q.executeQuery()) {
                        r.next();
                        cut = r.getObject(1, LocalDateTime.class);
                    }
                }
            }
            s.execute("DROP TABLE cost_otlp_arrived");
        }
        if (cut != null) {
            replaceChanged(connection, cut);
        }
        CostTables.setState(connection, "otlp_seq", Long.toString(lastSeq));
        CostTables.setState(connection, "otlp_until", Long.toString(newest));
    }

    /** Re-derives every sample from {@code cut} on; stores those that are new or changed and marks their pods. */
    private static void replaceChanged(Connection connection, LocalDateTime cut) throws SQLException {
        long fromNanos = cut.minusDays(1).toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L;
        try (PreparedStatement stage = connection.prepareStatement(
                "CREATE OR REPLACE TEMP TABLE cost_otlp_new AS SELECT * FROM (" + DERIVE + ") d("
                        + CostTables.SAMPLE_COLUMNS + ")")) {
            stage.setLong(1, fromNanos);
            stage.setObject(2, cut);
            stage.execute();
        }
        try (PreparedStatement changed = connection.prepareStatement("CREATE OR REPLACE TEMP TABLE cost_otlp_changed AS"
                + " SELECT * FROM cost_otlp_new EXCEPT SELECT * FROM cost_usage WHERE source = 'otlp' AND ts >= ?");
             Statement s = connection.createStatement()) {
            changed.setObject(1, cut);
            changed.execute();
            UsageSamples.store(connection, "cost_otlp_changed", "otlp");
            s.execute("DROP TABLE cost_otlp_new");
            s.execute("DROP TABLE cost_otlp_changed");
        }
    }

    /** How many metric points exist, to tell whether a re-derivation is due; -1 without the table. */
    static long pointCount(Connection connection) throws SQLException {
        if (!hasMetricTable(connection)) {
            return -1;
        }
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM metric_points")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static boolean hasMetricTable(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'metric_points'")) {
            r.next();
            return r.getLong(1) > 0;
        }
    }

    /**
     * Whether {@code metric_points} exists with its arrival order. A database last opened by an
     * older store lacks the column until the store opens it again; its points are derived then.
     */
    static boolean hasIngestOrder(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'metric_points'"
                        + " AND column_name = 'ingest_seq'")) {
            r.next();
            return r.getLong(1) > 0;
        }
    }

    /** A point attribute, else the resource attribute of the same name. */
    static String attribute(String key) {
        String pointer = "/" + key.replace("~", "~0").replace("/", "~1");
        return "coalesce(json_extract_string(attributes, '" + pointer + "'), json_extract_string(resource, '" + pointer + "'))";
    }

    /** {@code service.name}, ignoring the SDK's {@code unknown_service} placeholder. */
    private static String serviceName() {
        return "CASE WHEN " + attribute("service.name") + " LIKE 'unknown_service%' THEN NULL ELSE "
                + attribute("service.name") + " END";
    }

    /** Per sample, the sum over parts (containers, volumes) of each part's latest value at or before it. */
    private static String latest(String cte, String names) {
        return cte + " AS (SELECT k.pod, k.ts, sum(m.value) AS v FROM "
                + "(SELECT s.pod, s.ts, d.part FROM samples s JOIN (SELECT DISTINCT pod, part FROM pts WHERE name IN ("
                + names + ")) d ON d.pod = s.pod) k "
                + "ASOF JOIN (SELECT pod, part, ts, value FROM pts WHERE name IN (" + names + ")) m "
                + "ON m.pod = k.pod AND m.part = k.part AND k.ts >= m.ts GROUP BY k.pod, k.ts)";
    }
}
