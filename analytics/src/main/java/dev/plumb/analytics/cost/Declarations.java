package dev.plumb.analytics.cost;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deploy adapter's declared resources ({@code cost_declaration}) turned into cost. Each
 * declaration stands for {@code replicas} pods named {@code <service>-declared-<n>} with one
 * sample an hour (source {@code declared}) from its {@code effective_from} until the service's
 * next declaration, so the one cost formula prices them like any pod, at the declared requests.
 * Samples are written up to the present as time passes (a started hour counts whole, as a
 * declared replica is paid for from its start). Where a service has usage in an hour, its
 * declared pod-hours of that hour are dropped: usage wins.
 */
final class Declarations {
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final String WATERMARK = "declared_until";

    /** The samples from {@code lo} until {@code hi} (both {@code ?}), for one service or ({@code ?} null) all. */
    private static final String GENERATE = """
            CREATE OR REPLACE TEMP TABLE cost_declared_new AS
            WITH spans AS (
                SELECT *, lead(effective_from) OVER (PARTITION BY namespace, service ORDER BY effective_from) AS until
                FROM cost_declaration
            ), bounded AS (
                SELECT *, least(coalesce(until, $hi), $hi) AS stop,
                       effective_from + to_microseconds(CAST(3600e6 * greatest(0,
                           ceil((epoch($lo) - epoch(effective_from)) / 3600)) AS BIGINT)) AS first_ts
                FROM spans
                WHERE replicas > 0 AND ($service IS NULL OR (service = $service AND namespace = $namespace))
            ), hours AS (
                SELECT *, unnest(generate_series(first_ts, stop - INTERVAL 1 MICROSECOND, INTERVAL 1 HOUR)) AS ts
                FROM bounded WHERE first_ts < stop
            ), pods AS (
                SELECT *, unnest(range(replicas)) AS replica FROM hours
            )
            SELECT pods.service || '-declared-' || replica AS pod, pods.namespace, pods.service, %s AS team,
                   '' AS node_pool, '{}'::JSON AS labels, ts,
                   CASE WHEN until IS NULL THEN 3600 ELSE least(3600, epoch(until) - epoch(ts)) END AS interval_s,
                   0::DOUBLE AS cpu_usage, cpu_cores AS cpu_request, 0::DOUBLE AS memory_usage,
                   memory_gib * %s AS memory_request, storage_gib * %2$s AS storage, 0::DOUBLE AS egress_region,
                   0::DOUBLE AS egress_internet, 'declared' AS source
            FROM pods
            """.formatted(Attribution.team("pods.team", "pods.namespace"), GIB);

    private Declarations() {
    }

    /**
     * Stores {@code declarations} (one with the same service, namespace and start replaces the
     * old one), rewrites the declared samples of their services from an hour before the earliest
     * start on (the previous declaration's last sample ends there now), and brings every
     * declaration's samples up to {@code now}.
     */
    static void declare(Connection connection, List<ResourceDeclaration> declarations, Instant now)
            throws SQLException {
        Map<List<String>, LocalDateTime> earliest = new LinkedHashMap<>();
        try (PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM cost_declaration WHERE service = ? AND namespace = ? AND effective_from = ?");
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO cost_declaration VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (ResourceDeclaration d : declarations) {
                LocalDateTime from = CostTables.utc(d.effectiveFrom());
                delete.setString(1, d.service());
                delete.setString(2, d.namespace());
                delete.setObject(3, from);
                delete.execute();
                insert.setString(1, d.service());
                insert.setString(2, d.namespace());
                insert.setString(3, d.team());
                insert.setInt(4, d.replicas());
                insert.setDouble(5, d.cpuCores());
                insert.setDouble(6, d.memoryGiB());
                insert.setDouble(7, d.storageGiB());
                insert.setObject(8, from);
                insert.setObject(9, CostTables.utc(now));
                insert.execute();
                earliest.merge(List.of(d.service(), d.namespace()), from, (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        String until = CostTables.state(connection, WATERMARK);
        LocalDateTime written = until == null ? null : LocalDateTime.parse(until);
        for (var e : earliest.entrySet()) {
            LocalDateTime cut = e.getValue().minusHours(1);
            try (PreparedStatement dirty = connection.prepareStatement("INSERT INTO cost_dirty SELECT DISTINCT pod_id, ?"
                    + " FROM cost_pod WHERE origin = 'declared' AND service = ? AND namespace = ?");
                 PreparedStatement delete = connection.prepareStatement("DELETE FROM cost_sample WHERE source = 'declared'"
                         + " AND ts >= ? AND pod_key IN (SELECT pod_key FROM cost_pod WHERE origin = 'declared'"
                         + " AND service = ? AND namespace = ?)")) {
                for (PreparedStatement p : List.of(dirty, delete)) {
                    p.setObject(1, cut);
                    p.setString(2, e.getKey().get(0));
                    p.setString(3, e.getKey().get(1));
                    p.execute();
                }
            }
            if (written != null && cut.isBefore(written)) {
                generate(connection, cut, written, e.getKey().get(0), e.getKey().get(1));
            }
        }
        extend(connection, now);
    }

    /** Writes every declaration's samples from the last time written up to {@code now}. */
    static void extend(Connection connection, Instant now) throws SQLException {
        LocalDateTime from;
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT min(effective_from) FROM cost_declaration")) {
            r.next();
            from = r.getObject(1, LocalDateTime.class);
        }
        if (from == null) {
            return;
        }
        String until = CostTables.state(connection, WATERMARK);
        LocalDateTime lo = until == null ? from : LocalDateTime.parse(until);
        LocalDateTime hi = CostTables.utc(now);
        if (lo.isBefore(hi)) {
            generate(connection, lo, hi, null, null);
            CostTables.setState(connection, WATERMARK, hi.toString());
        }
    }

    private static void generate(Connection connection, LocalDateTime lo, LocalDateTime hi, String service,
                                 String namespace) throws SQLException {
        String sql = GENERATE.replace("$hi", "CAST(? AS TIMESTAMP)").replace("$lo", "CAST(? AS TIMESTAMP)")
                .replace("$service", "CAST(? AS VARCHAR)").replace("$namespace", "CAST(? AS VARCHAR)");
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            // The order of the placeholders in GENERATE: hi, hi, lo, service, service, namespace.
            p.setObject(1, hi);
            p.setObject(2, hi);
            p.setObject(3, lo);
            p.setString(4, service);
            p.setString(5, service);
            p.setString(6, namespace);
            p.execute();
        }
        UsageSamples.store(connection, "cost_declared_new", null);
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE cost_declared_new");
        }
    }

    /**
     * Drops the declared pod-hours of the hours {@code [?, ?)} (given twice) in which the same
     * service and namespace has usage.
     */
    static final String YIELD_TO_USAGE = """
            DELETE FROM cost_hour h USING (
                SELECT DISTINCT d.pod_key, u.hour
                FROM cost_hour u JOIN cost_pod up ON u.pod_key = up.pod_key AND up.origin = 'usage'
                JOIN cost_pod d ON d.origin = 'declared' AND d.service = up.service AND d.namespace = up.namespace
                WHERE u.hour >= ? AND u.hour < ?
            ) x
            WHERE h.hour >= ? AND h.hour < ? AND h.pod_key = x.pod_key AND h.hour = x.hour
            """;

    /** Whether any declaration exists, so that the engine knows to write samples as time passes. */
    static boolean any(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT EXISTS (SELECT 1 FROM cost_declaration)")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    /** The latest declaration of every service (by start), by namespace and service. */
    static List<ResourceDeclaration> current(Connection connection) throws SQLException {
        List<ResourceDeclaration> out = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("""
                SELECT service, namespace, team, replicas, cpu_cores, memory_gib, storage_gib, effective_from
                FROM cost_declaration
                QUALIFY row_number() OVER (PARTITION BY namespace, service ORDER BY effective_from DESC) = 1
                ORDER BY namespace, service""")) {
            while (r.next()) {
                out.add(new ResourceDeclaration(r.getString(1), r.getString(2), r.getString(3), r.getInt(4),
                        r.getDouble(5), r.getDouble(6), r.getDouble(7),
                        CostTables.instant(r.getObject(8, LocalDateTime.class))));
            }
        }
        return out;
    }
}
