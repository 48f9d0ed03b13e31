package dev.plumb.analytics.cost;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The cost engine's tables: {@code cost_pod} (the dictionary of pods: their names and
 * attribution once, integer keys everywhere else), {@code cost_sample} (pod usage samples,
 * whatever their source; the view {@code cost_usage} shows them with their pods' names),
 * {@code cost_declaration} (the deploy adapter's declared resources, see {@link Declarations}),
 * {@code cost_prices} and {@code cost_teams} (the pricing file, prices flattened into periods) and
 * {@code cost_node_capacity} (allocatable CPU and memory of nodes, for idle cost),
 * {@code cost_hour} (the materialised cost of every pod for every hour it ran; the view
 * {@code cost_pod_hour} adds names, source, network and total cost),
 * {@code cost_service_day} (its daily rollup per service, team and namespace, which long windows
 * read), {@code cost_dirty} (pods with samples not yet materialised) and {@code cost_state}
 * (what the materialisation was done with). Times are
 * UTC {@code TIMESTAMP}s here rather than epoch nanos because every query buckets them by
 * hour, day, week and month.
 */
public final class CostTables {
    /** The measures that the hourly pod table and the daily service rollup both carry, in this order. */
    private static final String MEASURES = """
            pod_hours            DOUBLE    NOT NULL,
            cpu_request_ch       DOUBLE    NOT NULL,  -- core-hours requested
            cpu_usage_ch         DOUBLE    NOT NULL,  -- core-hours used
            cpu_billed_ch        DOUBLE    NOT NULL,  -- core-hours of max(request, usage)
            memory_request_gh    DOUBLE    NOT NULL,  -- GiB-hours
            memory_usage_gh      DOUBLE    NOT NULL,
            memory_billed_gh     DOUBLE    NOT NULL,
            storage_gh           DOUBLE    NOT NULL,  -- GiB-hours of storage
            egress_region_gib    DOUBLE    NOT NULL,
            egress_internet_gib  DOUBLE    NOT NULL,
            cpu_cost             DOUBLE    NOT NULL,
            memory_cost          DOUBLE    NOT NULL,
            storage_cost         DOUBLE    NOT NULL,
            egress_region_cost   DOUBLE    NOT NULL,
            egress_internet_cost DOUBLE    NOT NULL,
            network_cost         DOUBLE    NOT NULL,
            total_cost           DOUBLE    NOT NULL""";

    /** The measures of {@code cost_hour}'s view that are sums of stored ones. */
    static final String DERIVED_MEASURES = "egress_region_cost + egress_internet_cost AS network_cost,"
            + " cpu_cost + memory_cost + storage_cost + egress_region_cost + egress_internet_cost AS total_cost";

    /** The measures the hourly table stores: network and total cost are sums that its view adds. */
    private static final String STORED_MEASURES = MEASURES.substring(0, MEASURES.indexOf(",\nnetwork_cost"));

    /** The columns of a usage sample as every source stages it, and as the {@code cost_usage} view shows it. */
    static final String SAMPLE_COLUMNS = "pod, namespace, service, team, node_pool, labels, ts, interval_s, cpu_usage,"
            + " cpu_request, memory_usage, memory_request, storage, egress_region, egress_internet, source";

    private static final List<String> DDL = List.of("""
            CREATE TABLE IF NOT EXISTS cost_pod (
                pod_key   INTEGER NOT NULL,  -- one per distinct (pod, namespace, service, team, node_pool, labels, origin)
                pod_id    INTEGER NOT NULL,  -- one per pod name: the pod's timeline
                pod       VARCHAR NOT NULL,
                namespace VARCHAR NOT NULL,
                service   VARCHAR NOT NULL,
                team      VARCHAR NOT NULL,
                node_pool VARCHAR NOT NULL,
                labels    JSON    NOT NULL,  -- pod labels, for label price overrides
                origin    VARCHAR NOT NULL   -- usage (measured) or declared (the deploy adapter's declaration)
            )""", """
            CREATE TABLE IF NOT EXISTS cost_sample (
                pod_id          INTEGER   NOT NULL,
                pod_key         INTEGER   NOT NULL,
                ts              TIMESTAMP NOT NULL,  -- UTC
                interval_s      DOUBLE,              -- declared sampling interval; NULL: the pod's usual gap
                cpu_usage       DOUBLE    NOT NULL,  -- cores
                cpu_request     DOUBLE    NOT NULL,  -- cores
                memory_usage    DOUBLE    NOT NULL,  -- bytes
                memory_request  DOUBLE    NOT NULL,  -- bytes
                storage         DOUBLE    NOT NULL,  -- bytes of volume capacity
                egress_region   DOUBLE    NOT NULL,  -- bytes sent within the region during the sample's interval
                egress_internet DOUBLE    NOT NULL,  -- bytes sent to the internet during the sample's interval
                source          VARCHAR   NOT NULL   -- import, otlp, declared, or the caller's name
            )""", """
            CREATE OR REPLACE VIEW cost_usage AS
            SELECT p.pod, p.namespace, p.service, p.team, p.node_pool, p.labels, s.ts, s.interval_s, s.cpu_usage,
                   s.cpu_request, s.memory_usage, s.memory_request, s.storage, s.egress_region, s.egress_internet,
                   s.source
            FROM cost_sample s JOIN cost_pod p USING (pod_key)""", """
            CREATE TABLE IF NOT EXISTS cost_prices (
                scope           VARCHAR   NOT NULL,  -- default, namespace, node_pool, label
                label_key       VARCHAR,
                value           VARCHAR   NOT NULL,
                priority        INTEGER   NOT NULL,
                valid_from      TIMESTAMP NOT NULL,
                valid_to        TIMESTAMP NOT NULL,
                cpu             DOUBLE    NOT NULL,  -- per core-hour
                memory          DOUBLE    NOT NULL,  -- per GiB-hour
                storage         DOUBLE    NOT NULL,  -- per GiB-hour (the monthly price / month hours)
                egress_region   DOUBLE    NOT NULL,  -- per GiB
                egress_internet DOUBLE    NOT NULL   -- per GiB
            )""", """
            CREATE TABLE IF NOT EXISTS cost_hour (
                hour                 TIMESTAMP NOT NULL,
                pod_key              INTEGER   NOT NULL,
                %1$s
            )""".formatted(STORED_MEASURES), """
            CREATE OR REPLACE VIEW cost_pod_hour AS
            SELECT h.hour, h.pod_key, p.pod, p.namespace, p.service, p.team, p.node_pool, p.origin AS source,
                   h.* EXCLUDE (hour, pod_key), %s
            FROM cost_hour h JOIN cost_pod p USING (pod_key)""".formatted(DERIVED_MEASURES),
            """
            CREATE TABLE IF NOT EXISTS cost_node_capacity (
                node       VARCHAR   NOT NULL,
                node_pool  VARCHAR   NOT NULL,
                ts         TIMESTAMP NOT NULL,  -- UTC
                interval_s DOUBLE,              -- declared sampling interval; NULL: the node's usual gap
                resource   VARCHAR   NOT NULL,  -- cpu (cores) or memory (bytes)
                value      DOUBLE    NOT NULL,  -- allocatable capacity
                source     VARCHAR   NOT NULL   -- import, otlp or the caller's name
            )""", """
            CREATE TABLE IF NOT EXISTS cost_declaration (
                service        VARCHAR   NOT NULL,
                namespace      VARCHAR   NOT NULL,
                team           VARCHAR,              -- NULL: the namespace's team
                replicas       INTEGER   NOT NULL,
                cpu_cores      DOUBLE    NOT NULL,   -- requested per replica
                memory_gib     DOUBLE    NOT NULL,   -- requested per replica
                storage_gib    DOUBLE    NOT NULL,   -- volumes per replica
                effective_from TIMESTAMP NOT NULL,   -- UTC; until the service's next declaration
                declared_at    TIMESTAMP NOT NULL    -- UTC, when it was received
            )""", """
            CREATE TABLE IF NOT EXISTS cost_teams (
                namespace VARCHAR NOT NULL,
                team      VARCHAR NOT NULL
            )""", """
            CREATE TABLE IF NOT EXISTS cost_dirty (
                pod_id  INTEGER   NOT NULL,
                from_ts TIMESTAMP NOT NULL  -- the pod's earliest sample added or removed since the last refresh
            )""", """
            CREATE TABLE IF NOT EXISTS cost_state (
                key   VARCHAR PRIMARY KEY,  -- pricing: what cost_pod_hour was priced with; otlp_until: OTLP watermark
                value VARCHAR NOT NULL
            )""", """
            CREATE TABLE IF NOT EXISTS cost_service_day (
                day                  TIMESTAMP NOT NULL,
                service              VARCHAR   NOT NULL,
                team                 VARCHAR   NOT NULL,
                namespace            VARCHAR   NOT NULL,
                source               VARCHAR   NOT NULL,  -- usage or declared
                %1$s,
                hours_seen           BIGINT    NOT NULL  -- hours of the day with cost
            )""".formatted(MEASURES));

    private CostTables() {
    }

    /** Creates whatever is missing; harmless on an existing database. */
    static void create(Connection connection) throws SQLException {
        boolean legacy = isTable(connection, "cost_usage");
        try (Statement s = connection.createStatement()) {
            if (legacy) {
                // A database from before the pod dictionary: keep its samples, recompute what derives from them.
                s.execute("ALTER TABLE cost_usage RENAME TO cost_usage_legacy");
                s.execute("DROP TABLE IF EXISTS cost_pod_hour");
                s.execute("DROP TABLE IF EXISTS cost_service_day");
                s.execute("DROP TABLE IF EXISTS cost_dirty");
            }
            for (String sql : DDL) {
                s.execute(sql);
            }
            if (legacy) {
                UsageSamples.store(connection, "cost_usage_legacy", null);
                s.execute("DROP TABLE cost_usage_legacy");
            }
        }
    }

    private static boolean isTable(Connection connection, String name) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement("SELECT count(*) FROM information_schema.tables"
                + " WHERE table_name = ? AND table_schema = current_schema() AND table_type = 'BASE TABLE'")) {
            q.setString(1, name);
            try (var r = q.executeQuery()) {
                r.next();
                return r.getLong(1) > 0;
            }
        }
    }

    /** Replaces the price and team tables with those of {@code pricing}. */
    static void writePrices(Connection connection, Pricing pricing) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DELETE FROM cost_prices");
            s.execute("DELETE FROM cost_teams");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO cost_teams VALUES (?, ?)")) {
            for (var e : pricing.teams().entrySet()) {
                insert.setString(1, e.getKey());
                insert.setString(2, e.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO cost_prices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Pricing.PricePeriod p : pricing.periods()) {
                insert.setString(1, p.scope());
                insert.setString(2, p.labelKey());
                insert.setString(3, p.value());
                insert.setInt(4, p.priority());
                insert.setObject(5, utc(p.from()));
                insert.setObject(6, utc(p.to()));
                insert.setDouble(7, p.prices().cpuCoreHour());
                insert.setDouble(8, p.prices().memoryGiBHour());
                insert.setDouble(9, p.prices().storageGiBHour(pricing.monthHours()));
                insert.setDouble(10, p.prices().egressRegionGiB());
                insert.setDouble(11, p.prices().egressInternetGiB());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** A value of {@code cost_state}, or null. */
    static String state(Connection connection, String key) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement("SELECT value FROM cost_state WHERE key = ?")) {
            q.setString(1, key);
            try (var r = q.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    /** Sets a value of {@code cost_state}. */
    static void setState(Connection connection, String key, String value) throws SQLException {
        try (PreparedStatement q = connection.prepareStatement("INSERT OR REPLACE INTO cost_state VALUES (?, ?)")) {
            q.setString(1, key);
            q.setString(2, value);
            q.execute();
        }
    }

    /** The UTC wall-clock time of a {@code TIMESTAMP} column, independent of the JVM's zone. */
    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** The instant of a UTC {@code TIMESTAMP} read back with {@code getObject(i, LocalDateTime.class)}. */
    static Instant instant(LocalDateTime utc) {
        return utc.toInstant(ZoneOffset.UTC);
    }
}
