package dev.plumb.analytics.cost;

import dev.plumb.analytics.Store;
import dev.plumb.analytics.TimeRange;
import dev.plumb.analytics.red.ServiceSummary;
import dev.plumb.analytics.schema.AttributeJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.duckdb.DuckDBChunkedResult;
import org.duckdb.DuckDBDataChunkReader;
import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.DuckDBReadableVector;

/**
 * The cost engine: usage in (OTLP metric points, CSV/Parquet import, samples from inside the
 * process), the hourly cost of every pod materialised in DuckDB by {@link CostFormula}, and the
 * answers: cost series by service, team or namespace; the drivers of a change; a service's
 * benchmark against its peers; a FOCUS export. Methods are synchronized because they share one
 * DuckDB connection, which is not safe to use from two threads at once; callers on an event
 * loop run them on a worker thread.
 */
public final class CostEngine implements AutoCloseable {
    private final Connection connection;
    private final Runnable beforeRead;
    private final Pricing pricing;
    private final RequestCounts requestCounts;
    private final boolean ownsConnection;
    /**
     * About how many samples one batch of the materialisation reads: a year of a large cluster is
     * computed a few weeks at a time, so that its window and grouping stay within memory.
     */
    private static final long BATCH_SAMPLES = 1_500_000;

    private long metricPointsSeen = -2;
    /** Whether any declaration exists; then declared samples are written as each hour starts. */
    private boolean declared;
    private Instant declaredHour;

    /**
     * An engine over {@code connection} (its own, for instance the store's {@code duplicate()}),
     * creating the cost tables if missing and writing {@code pricing} into them.
     */
    public CostEngine(Connection connection, Pricing pricing, RequestCounts requestCounts) {
        this(connection, pricing, requestCounts, false, () -> { });
    }

    private CostEngine(Connection connection, Pricing pricing, RequestCounts requestCounts, boolean ownsConnection,
                       Runnable beforeRead) {
        this.connection = connection;
        this.beforeRead = beforeRead;
        this.pricing = pricing;
        this.requestCounts = requestCounts;
        this.ownsConnection = ownsConnection;
        try {
            CostTables.create(connection);
            CostTables.writePrices(connection, pricing);
            repriceIfPricingChanged();
            declared = Declarations.any(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the cost tables: " + e.getMessage(), e);
        }
    }

    /**
     * An engine on the data directory's database ({@code DIR/plumb.duckdb}) without a running
     * server, as the command line's {@code cost import} and {@code cost export} use it.
     */
    public static CostEngine open(Path dataDir, Pricing pricing) {
        try {
            Files.createDirectories(dataDir);
            Connection c = DriverManager.getConnection("jdbc:duckdb:" + dataDir.resolve("plumb.duckdb").toAbsolutePath());
            return new CostEngine(c, pricing, RequestCounts.NONE, true, () -> { });
        } catch (java.io.IOException | SQLException e) {
            throw new IllegalStateException("cannot open data dir " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * An engine on the store's database, with its own connection, taking request counts from
     * the store's RED figures; {@link #close()} closes that connection.
     */
    public static CostEngine on(Store store, Pricing pricing) {
        RequestCounts fromRed = range -> store.services(range).stream()
                .collect(Collectors.toMap(ServiceSummary::name, ServiceSummary::requests, Long::sum));
        // The store acknowledges OTLP usage once it is in the ingest log and loads it after, so
        // every read first waits for what was acknowledged before it, as the store's own queries do.
        return new CostEngine(store.openConnection(), pricing, fromRed, true, store::awaitVisible);
    }

    /** The prices in use. */
    public Pricing pricing() {
        return pricing;
    }

    /**
     * Brings the hourly cost up to date: derives usage from the OTLP metric points that arrived
     * since the last refresh, then recomputes only the pod-hours that new or removed samples touch
     * (listed in {@code cost_dirty}) and the days of the rollup from the earliest of them on.
     */
    public synchronized void refresh() {
        beforeRead.run();
        refreshLoaded();
    }

    /** {@link #refresh} once the acknowledged records are loaded (the caller has waited). */
    private void refreshLoaded() {
        try {
            transaction(() -> {
                metricPointsSeen = OtlpUsage.pointCount(connection);
                OtlpUsage.derive(connection);
                if (OtlpUsage.hasIngestOrder(connection)) {
                    NodeCapacity.derive(connection);
                }
                if (declared) {
                    Instant now = Instant.now();
                    Declarations.extend(connection, now);
                    declaredHour = now.truncatedTo(ChronoUnit.HOURS);
                }
                materialise();
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot compute costs: " + e.getMessage(), e);
        }
    }

    private void materialise() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE cost_todo AS SELECT pod_id, min(from_ts) AS from_ts FROM cost_dirty"
                    + " GROUP BY pod_id");
        }
        LocalDateTime earliest = scalarTime("SELECT min(from_ts) FROM cost_todo");
        if (earliest != null) {
            run(CostFormula.FIRST_HOURS, earliest.minusDays(1));
            LocalDateTime firstHour = scalarTime("SELECT min(first_hour) FROM cost_todo_hours");
            run(CostFormula.FORGET, firstHour);
            LocalDateTime firstDay = firstHour.toLocalDate().atStartOfDay();
            run(CostFormula.UNROLL, firstDay);
            // A sample reaches at most a day past the newest one, so the hours end a day after it.
            LocalDateTime newest = scalarTime("SELECT max(ts) FROM cost_sample WHERE ts >= ?"
                    + " AND pod_id IN (SELECT pod_id FROM cost_todo_hours)", firstHour.minusDays(1));
            LocalDateTime end = newest.plusDays(1).toLocalDate().plusDays(1).atStartOfDay();
            long days = Duration.between(firstDay, end).toDays();
            long samples = scalarLong("SELECT count(*) FROM cost_sample WHERE ts >= ?"
                    + " AND pod_id IN (SELECT pod_id FROM cost_todo_hours)", firstHour.minusDays(2));
            long batchDays = Math.max(1, days * BATCH_SAMPLES / Math.max(1, samples));
            for (LocalDateTime from = firstHour; from.isBefore(end); ) {
                LocalDateTime day = from.toLocalDate().atStartOfDay();
                LocalDateTime to = day.plusDays(batchDays).isAfter(end) ? end : day.plusDays(batchDays);
                run(CostFormula.MATERIALISE, from, to, (from.isAfter(firstHour) ? from : firstHour).minusDays(2),
                        to.plusDays(1), to);
                if (declared) {
                    run(Declarations.YIELD_TO_USAGE, from, to, from, to);
                }
                run(CostFormula.ROLL_UP, day, to);
                from = to;
            }
        }
        try (Statement s = connection.createStatement()) {
            s.execute("DELETE FROM cost_dirty");
            s.execute("DROP TABLE IF EXISTS cost_todo");
            s.execute("DROP TABLE IF EXISTS cost_todo_hours");
        }
    }

    /** Work on the connection that throws what DuckDB throws. */
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one transaction: all of it is stored, or (on any failure) none. */
    private <T> T transaction(SqlWork<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** A full recomputation when the prices differ from those the stored costs were computed with. */
    private void repriceIfPricingChanged() throws SQLException {
        String fingerprint = pricing.periods().toString();
        if (fingerprint.equals(CostTables.state(connection, "pricing"))) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("DELETE FROM cost_hour");
            s.execute("DELETE FROM cost_service_day");
            UsageSamples.markDirty(connection, "cost_sample");
        }
        CostTables.setState(connection, "pricing", fingerprint);
    }

    private void run(String sql, LocalDateTime... parameters) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                p.setObject(i + 1, parameters[i]);
            }
            p.execute();
        }
    }

    private long scalarLong(String sql, LocalDateTime parameter) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            p.setObject(1, parameter);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private LocalDateTime scalarTime(String sql, LocalDateTime... parameters) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                p.setObject(i + 1, parameters[i]);
            }
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getObject(1, LocalDateTime.class);
            }
        }
    }

    /** Imports pod usage from a CSV or Parquet file (columns: {@link #importColumns()}); returns the samples read. */
    public synchronized long importUsage(Path file) {
        try {
            return transaction(() -> UsageImport.load(connection, file));
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot import usage file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The columns an import file may have, each with what it holds. */
    public static Map<String, String> importColumns() {
        return UsageImport.COLUMNS;
    }

    /** Adds usage samples from inside the process; {@code source} tells them apart (for example {@code demo}). */
    public synchronized void record(List<UsageSample> samples, String source) {
        String sql = "INSERT INTO cost_record SELECT pod, namespace, " + Attribution.service("u.pod", "u.service_in")
                + ", " + Attribution.team("u.team_in", "u.namespace") + ", node_pool, labels, ts, interval_s, cpu_usage,"
                + " cpu_request, memory_usage, memory_request, storage, egress_region, egress_internet, source FROM (SELECT"
                + " ?::VARCHAR AS pod, ?::VARCHAR AS namespace, ?::VARCHAR AS service_in, ?::VARCHAR AS team_in,"
                + " ?::VARCHAR AS node_pool, ?::VARCHAR AS labels, ?::TIMESTAMP AS ts, ?::DOUBLE AS interval_s,"
                + " ?::DOUBLE AS cpu_usage, ?::DOUBLE AS cpu_request, ?::DOUBLE AS memory_usage,"
                + " ?::DOUBLE AS memory_request, ?::DOUBLE AS storage, ?::DOUBLE AS egress_region,"
                + " ?::DOUBLE AS egress_internet, ?::VARCHAR AS source) u";
        try {
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE OR REPLACE TEMP TABLE cost_record AS SELECT * FROM cost_usage LIMIT 0");
            }
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                for (UsageSample u : samples) {
                    insert.setString(1, u.pod());
                    insert.setString(2, u.namespace() == null ? "unknown" : u.namespace());
                    insert.setString(3, u.service());
                    insert.setString(4, u.team());
                    insert.setString(5, u.nodePool() == null ? "" : u.nodePool());
                    insert.setString(6, AttributeJson.encode(u.labels()));
                    insert.setObject(7, CostTables.utc(u.ts()));
                    insert.setObject(8, u.intervalSeconds());
                    insert.setDouble(9, u.cpuUsageCores());
                    insert.setDouble(10, u.cpuRequestCores());
                    insert.setDouble(11, u.memoryUsageBytes());
                    insert.setDouble(12, u.memoryRequestBytes());
                    insert.setDouble(13, u.storageBytes());
                    insert.setDouble(14, u.egressRegionBytes());
                    insert.setDouble(15, u.egressInternetBytes());
                    insert.setString(16, source);
                    insert.execute();
                }
            }
            UsageSamples.store(connection, "cost_record", null);
            try (Statement s = connection.createStatement()) {
                s.execute("DROP TABLE cost_record");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record usage: " + e.getMessage(), e);
        }
    }

    /**
     * Stores the deploy adapter's declared resources ({@link ResourceDeclaration}): for each hour
     * in which a declared service has no usage, its cost comes from its declaration.
     */
    public synchronized void declare(List<ResourceDeclaration> declarations) {
        try {
            transaction(() -> {
                Declarations.declare(connection, declarations, Instant.now());
                declared = true;
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the declarations: " + e.getMessage(), e);
        }
    }

    /** The latest declaration of every declared service, by namespace and service. */
    public synchronized List<ResourceDeclaration> declarations() {
        try {
            return Declarations.current(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the declarations: " + e.getMessage(), e);
        }
    }

    /**
     * Cost per group and bucket over the hours that start in {@code range} widened to whole
     * buckets ({@link CostStep#widen}), oldest first, then by group.
     */
    public synchronized List<CostRow> costs(CostGroupBy groupBy, TimeRange window, CostStep step) {
        refreshIfStale();
        TimeRange range = step.widen(window);
        boolean hourly = step.unit().equals("hour");
        String sql = "SELECT " + groupBy.column() + " AS grp, epoch_ms(time_bucket(INTERVAL '" + step.interval() + "', hour)) AS ts,"
                + " sum(cpu_cost), sum(memory_cost), sum(storage_cost), sum(network_cost), sum(total_cost), sum(pod_hours),"
                + " source FROM " + (hourly ? "cost_pod_hour WHERE hour >= ? AND hour < ?" : SERVICE_HOURS)
                + " GROUP BY ALL ORDER BY ts, grp, source DESC";
        List<CostRow> rows = new ArrayList<>();
        // A year has 182,500 service-days. Read through ResultSet, every row is first copied into
        // Java objects per column and then read again, which took most of the call (about 1 s of
        // 1.2 s under load); DuckDB's chunked result reads each column of each 2,048-row chunk
        // straight from its buffer, in half that. Times come back as epoch milliseconds for the
        // same reason: a LocalDateTime per row cost more than the query.
        try (PreparedStatement q = hourly ? prepare(sql, range) : prepareRolledUp(sql, range);
                DuckDBChunkedResult result = q.unwrap(DuckDBPreparedStatement.class).query()) {
            while (result.nextChunk()) {
                DuckDBDataChunkReader chunk = result.chunk();
                DuckDBReadableVector grp = chunk.vector(0);
                DuckDBReadableVector ts = chunk.vector(1);
                DuckDBReadableVector cpu = chunk.vector(2);
                DuckDBReadableVector memory = chunk.vector(3);
                DuckDBReadableVector storage = chunk.vector(4);
                DuckDBReadableVector network = chunk.vector(5);
                DuckDBReadableVector total = chunk.vector(6);
                DuckDBReadableVector podHours = chunk.vector(7);
                DuckDBReadableVector source = chunk.vector(8);
                for (long row = 0, n = chunk.rowCount(); row < n; row++) {
                    rows.add(new CostRow(grp.getString(row), Instant.ofEpochMilli(ts.getLong(row)),
                            cpu.getDouble(row, 0), memory.getDouble(row, 0), storage.getDouble(row, 0),
                            network.getDouble(row, 0), total.getDouble(row, 0), podHours.getDouble(row, 0),
                            source.getString(row)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read costs: " + e.getMessage(), e);
        }
        return rows;
    }

    /**
     * As {@link #costs(CostGroupBy, TimeRange, CostStep)}, with idle cost shown as {@code idle}
     * says ({@link IdleMode}); in buckets with node capacity, the rows then add up to the
     * cluster's cost (plus any over-commit, see {@link ClusterCost}).
     */
    public synchronized List<CostRow> costs(CostGroupBy groupBy, TimeRange range, CostStep step, IdleMode idle) {
        List<CostRow> rows = costs(groupBy, range, step);
        if (idle == IdleMode.HIDDEN) {
            return rows;
        }
        Map<Instant, List<CostRow>> byBucket = new java.util.TreeMap<>();
        rows.forEach(r -> byBucket.computeIfAbsent(r.ts(), t -> new ArrayList<>()).add(r));
        for (Balance b : balances("time_bucket(INTERVAL '" + step.interval() + "', hour)", step.widen(range))) {
            List<CostRow> bucket = byBucket.computeIfAbsent(b.ts(), t -> new ArrayList<>());
            double idleCpu = b.idleCpu();
            double idleMemory = b.idleMemory();
            if (idle == IdleMode.SHARED) {
                double cpuBase = bucket.stream().mapToDouble(CostRow::cpu).sum();
                double memoryBase = bucket.stream().mapToDouble(CostRow::memory).sum();
                double cpuShare = cpuBase > 0 ? idleCpu / cpuBase : 0;
                double memoryShare = memoryBase > 0 ? idleMemory / memoryBase : 0;
                bucket.replaceAll(r -> new CostRow(r.group(), r.ts(), r.cpu() * (1 + cpuShare),
                        r.memory() * (1 + memoryShare), r.storage(), r.network(),
                        r.total() + r.cpu() * cpuShare + r.memory() * memoryShare, r.podHours(), r.source()));
                idleCpu = cpuBase > 0 ? 0 : idleCpu;
                idleMemory = memoryBase > 0 ? 0 : idleMemory;
                if (idleCpu == 0 && idleMemory == 0) {
                    continue;
                }
            }
            bucket.add(new CostRow(IdleMode.IDLE_GROUP, b.ts(), idleCpu, idleMemory, 0, 0, idleCpu + idleMemory, 0,
                    IdleMode.IDLE_SOURCE));
        }
        return byBucket.values().stream().flatMap(List::stream).toList();
    }

    /**
     * The cluster's cost over {@code range} and its parts (see {@link ClusterCost}). Throws
     * NoSuchElementException when no node capacity is known for any hour of it.
     */
    public synchronized ClusterCost cluster(TimeRange range) {
        refreshIfStale();
        List<Balance> total = balances("NULL::TIMESTAMP", range);
        if (total.isEmpty()) {
            throw new NoSuchElementException("no node capacity is known between " + range.from() + " and "
                    + range.to() + ", so the cluster's cost and its idle part are unknown");
        }
        Balance b = total.get(0);
        String sql = "WITH " + NodeCapacity.CAPACITY_HOURS + """
                SELECT service, namespace = 'unknown', sum(cpu_cost), sum(memory_cost), sum(storage_cost),
                       sum(network_cost), sum(total_cost)
                FROM cost_pod_hour p, bounds
                WHERE p.hour >= bounds.f AND p.hour < bounds.t AND p.hour IN (SELECT hour FROM capacity)
                GROUP BY ALL ORDER BY 7 DESC, 1
                """;
        List<ClusterCost.ServiceCost> services = new ArrayList<>();
        double unallocated = 0;
        try (PreparedStatement q = prepare(sql, range); ResultSet r = q.executeQuery()) {
            while (r.next()) {
                if (r.getBoolean(2)) {
                    unallocated += r.getDouble(7);
                } else {
                    services.add(new ClusterCost.ServiceCost(r.getString(1), r.getDouble(3), r.getDouble(4),
                            r.getDouble(5), r.getDouble(6), r.getDouble(7)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the cluster's cost: " + e.getMessage(), e);
        }
        double allocated = services.stream().mapToDouble(ClusterCost.ServiceCost::total).sum();
        double cluster = b.capacityCpu() + b.capacityMemory() + b.storageAndNetwork();
        ClusterCost.Resources idle = ClusterCost.Resources.of(b.idleCpu(), b.idleMemory());
        ClusterCost.Resources overcommit = ClusterCost.Resources.of(b.overCpu(), b.overMemory());
        boolean balanced = Math.abs(allocated + unallocated + idle.total() - overcommit.total() - cluster) < 0.01;
        return new ClusterCost(range.from(), range.to(), pricing.currency(), b.hours(), cluster,
                ClusterCost.Resources.of(b.capacityCpu(), b.capacityMemory()), b.storageAndNetwork(), allocated,
                services, unallocated, idle, overcommit, balanced);
    }

    /** Capacity, allocation, idle and over-commit summed per hour and then per bucket. */
    private record Balance(Instant ts, double capacityCpu, double capacityMemory, double storageAndNetwork,
                           double idleCpu, double idleMemory, double overCpu, double overMemory, long hours) {
    }

    /** Per bucket ({@code bucket}: an SQL expression of {@code hour}), oldest first; none without capacity. */
    private List<Balance> balances(String bucket, TimeRange range) {
        refreshIfStale();
        String sql = "WITH " + NodeCapacity.CAPACITY_HOURS + """
                , alloc AS (
                    SELECT hour, sum(cpu_cost) AS cpu, sum(memory_cost) AS memory,
                           sum(storage_cost + network_cost) AS other
                    FROM cost_pod_hour, bounds WHERE hour >= bounds.f AND hour < bounds.t GROUP BY hour
                )
                SELECT %s AS ts, sum(c.cpu_cost), sum(c.memory_cost), sum(coalesce(a.other, 0)),
                       sum(greatest(c.cpu_cost - coalesce(a.cpu, 0), 0)),
                       sum(greatest(c.memory_cost - coalesce(a.memory, 0), 0)),
                       sum(greatest(coalesce(a.cpu, 0) - c.cpu_cost, 0)),
                       sum(greatest(coalesce(a.memory, 0) - c.memory_cost, 0)), count(*)
                FROM capacity c LEFT JOIN alloc a USING (hour) GROUP BY 1 ORDER BY 1
                """.formatted(bucket);
        List<Balance> out = new ArrayList<>();
        try (PreparedStatement q = prepare(sql, range); ResultSet r = q.executeQuery()) {
            while (r.next()) {
                LocalDateTime ts = r.getObject(1, LocalDateTime.class);
                out.add(new Balance(ts == null ? null : CostTables.instant(ts), r.getDouble(2), r.getDouble(3),
                        r.getDouble(4), r.getDouble(5), r.getDouble(6), r.getDouble(7), r.getDouble(8), r.getLong(9)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot compute idle cost: " + e.getMessage(), e);
        }
        return out;
    }

    /** Adds node capacity samples from inside the process; {@code source} tells them apart. */
    public synchronized void recordNodes(List<NodeSample> samples, String source) {
        try {
            NodeCapacity.record(connection, samples, source);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record node capacity: " + e.getMessage(), e);
        }
    }

    /** The columns a node capacity import file may have, each with what it holds. */
    public static Map<String, String> nodeImportColumns() {
        return NodeCapacity.COLUMNS;
    }

    /**
     * Why cost changed from {@code baseline} to {@code current}, for one service or (null) all.
     * Throws NoSuchElementException when the named service has no cost in either period.
     */
    public synchronized CostDrivers drivers(String service, TimeRange current, TimeRange baseline) {
        refreshIfStale();
        Map<String, ServicePeriod> now = servicePeriods(current, service);
        Map<String, ServicePeriod> before = servicePeriods(baseline, service);
        if (service != null && now.isEmpty() && before.isEmpty()) {
            throw new NoSuchElementException("service '" + service + "' has no cost in either period");
        }
        return new DriverDecomposition(hours(baseline), hours(current)).decompose(pricing.currency(), before, now);
    }

    /**
     * {@code service}'s cost per hour and per 1,000 requests beside its peers over {@code range}.
     * Throws NoSuchElementException when it has no cost there.
     */
    public synchronized CostBenchmark benchmark(String service, TimeRange range) {
        refreshIfStale();
        return new PeerBenchmark(servicePeriods(range, null), requestCounts.requests(range)).of(service);
    }

    /** Every service with cost in {@code range}, costliest first. */
    public synchronized List<String> services(TimeRange range) {
        refreshIfStale();
        return servicePeriods(range, null).values().stream()
                .sorted((a, b) -> Double.compare(b.total(), a.total())).map(ServicePeriod::service).toList();
    }

    Map<String, ServicePeriod> servicePeriods(TimeRange range, String service) {
        String sql = """
                SELECT service, mode(team), sum(pod_hours), sum(cpu_request_ch), sum(cpu_billed_ch), sum(cpu_cost),
                       sum(memory_request_gh), sum(memory_billed_gh), sum(memory_cost), sum(storage_gh), sum(storage_cost),
                       sum(egress_region_gib), sum(egress_region_cost), sum(egress_internet_gib), sum(egress_internet_cost),
                       sum(total_cost), sum(hours_seen)
                FROM %s AND (? IS NULL OR service = ?)
                GROUP BY service HAVING sum(pod_hours) > 0 ORDER BY service
                """.formatted(SERVICE_HOURS);
        Map<String, ServicePeriod> out = new LinkedHashMap<>();
        try (PreparedStatement q = prepareRolledUp(sql, range)) {
            q.setString(7, service);
            q.setString(8, service);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), new ServicePeriod(r.getString(1), r.getString(2), r.getDouble(3),
                            r.getDouble(4), r.getDouble(5), r.getDouble(6), r.getDouble(7), r.getDouble(8),
                            r.getDouble(9), r.getDouble(10), r.getDouble(11), r.getDouble(12), r.getDouble(13),
                            r.getDouble(14), r.getDouble(15), r.getDouble(16), r.getDouble(17)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read service costs: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Per group, the daily cost series over {@code range} and the week-over-week change at its
     * end; {@code service} (nullable) keeps only that service's cost. Groups costliest first.
     */
    public synchronized List<CostTrend> trend(CostGroupBy groupBy, String service, TimeRange range) {
        refreshIfStale();
        Instant end = range.to();
        TimeRange lastWeek = new TimeRange(end.minus(Duration.ofDays(7)), end);
        TimeRange weekBefore = new TimeRange(end.minus(Duration.ofDays(14)), lastWeek.from());
        Map<String, List<CostTrend.Point>> series = dailyTotals(groupBy, service, range);
        Map<String, Double> now = new HashMap<>();
        dailyTotals(groupBy, service, lastWeek).forEach((g, points) -> now.put(g, sum(points)));
        Map<String, Double> before = new HashMap<>();
        dailyTotals(groupBy, service, weekBefore).forEach((g, points) -> before.put(g, sum(points)));
        java.util.Set<String> groups = new java.util.TreeSet<>(series.keySet());
        groups.addAll(now.keySet());
        groups.addAll(before.keySet());
        List<CostTrend> out = new ArrayList<>();
        for (String g : groups) {
            double a = now.getOrDefault(g, 0.0);
            double b = before.getOrDefault(g, 0.0);
            out.add(new CostTrend(g, series.getOrDefault(g, List.of()), a, b, a - b, b > 0 ? (a - b) / b * 100 : null));
        }
        out.sort((x, y) -> Double.compare(sum(y.series()), sum(x.series())));
        return out;
    }

    private Map<String, List<CostTrend.Point>> dailyTotals(CostGroupBy groupBy, String service, TimeRange range) {
        String sql = "SELECT " + groupBy.column() + ", epoch_ms(time_bucket(INTERVAL '1 day', hour)) AS ts, sum(total_cost) FROM "
                + SERVICE_HOURS + " AND (? IS NULL OR service = ?) GROUP BY ALL ORDER BY 1, 2";
        Map<String, List<CostTrend.Point>> out = new LinkedHashMap<>();
        try (PreparedStatement q = prepareRolledUp(sql, range)) {
            q.setString(7, service);
            q.setString(8, service);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.computeIfAbsent(r.getString(1), g -> new ArrayList<>()).add(new CostTrend.Point(
                            Instant.ofEpochMilli(r.getLong(2)), r.getDouble(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the cost trend: " + e.getMessage(), e);
        }
        return out;
    }

    private static double sum(List<CostTrend.Point> points) {
        return points.stream().mapToDouble(CostTrend.Point::total).sum();
    }

    /**
     * Efficiency and rightsizing of every service (or only {@code service}) over {@code range},
     * least efficient first; {@code targetUtilisation} is the share of a request that the 95th
     * percentile of usage should fill (0.7 by default).
     */
    public synchronized List<ServiceEfficiency> efficiency(String service, TimeRange range, double targetUtilisation) {
        refreshIfStale();
        try {
            return new Rightsizing(connection, pricing.monthHours(), targetUtilisation)
                    .of(service, range, sql -> prepareRolledUp(sql.formatted(SERVICE_HOURS), range));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot compute efficiency: " + e.getMessage(), e);
        }
    }

    /**
     * Days in {@code range} whose cost left the range of the seven days before by more than
     * {@code minChange} (a fraction of that range's bound) and more than {@code minAmount}, for
     * every service or only {@code service}; newest first.
     */
    public synchronized List<CostAnomaly> anomalies(String service, TimeRange range, double minChange,
                                                    double minAmount) {
        refreshIfStale();
        TimeRange withHistory = new TimeRange(range.from().minus(Duration.ofDays(CostAnomalies.HISTORY_DAYS)),
                range.to());
        Map<String, List<CostTrend.Point>> daily = dailyTotals(CostGroupBy.SERVICE, service, withHistory);
        return new CostAnomalies(minChange, minAmount).find(daily, range,
                (s, day) -> drivers(s, new TimeRange(day, day.plus(Duration.ofDays(1))),
                        new TimeRange(day.minus(Duration.ofDays(1)), day)).drivers());
    }

    /** Writes the cost rows of {@code range} in the FinOps FOCUS layout; returns the rows written. */
    public synchronized long export(TimeRange range, FocusExport.Format format, Path out) {
        refreshIfStale();
        try {
            return FocusExport.write(connection, range, format, out, pricing.currency());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot export costs to " + out + ": " + e.getMessage(), e);
        }
    }

    /** Connection for the engine's own analyses in this package, always fresh. */
    Connection freshConnection() {
        refreshIfStale();
        return connection;
    }

    private void refreshIfStale() {
        beforeRead.run();
        try {
            if (OtlpUsage.pointCount(connection) != metricPointsSeen || hasDirtyPods()
                    || declared && !Instant.now().truncatedTo(ChronoUnit.HOURS).equals(declaredHour)) {
                refreshLoaded();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check for new usage: " + e.getMessage(), e);
        }
    }

    private boolean hasDirtyPods() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(
                "SELECT EXISTS (SELECT 1 FROM cost_dirty)")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    /**
     * Cost per service, team and namespace over a window: the daily rollup for the whole UTC days
     * inside it, the pod-hours (summed per hour) for the hours at its edges. Rows are per day or
     * hour in {@code hour}, with the hours that had cost in {@code hours_seen}; a WHERE clause
     * is open at its end. Bound by {@link #prepareRolledUp}.
     */
    private static final String SERVICE_HOURS = "(SELECT day AS hour, service, team, namespace, source, "
            + CostFormula.SUMMED + ", hours_seen FROM cost_service_day WHERE day >= ? AND day < ?"
            + " UNION ALL SELECT hour, p.service, p.team, p.namespace, p.origin AS source, " + CostFormula.sums()
            + ", 1 AS hours_seen FROM (SELECT *, " + CostTables.DERIVED_MEASURES + " FROM cost_hour WHERE hour >= ?"
            + " AND hour < ? UNION ALL SELECT *, " + CostTables.DERIVED_MEASURES + " FROM cost_hour WHERE hour >= ?"
            + " AND hour < ?) h JOIN cost_pod p USING (pod_key) GROUP BY ALL) WHERE true";

    /** Binds the six window parameters of {@link #SERVICE_HOURS}. */
    private PreparedStatement prepareRolledUp(String sql, TimeRange range) throws SQLException {
        LocalDateTime from = CostTables.utc(range.from());
        LocalDateTime to = CostTables.utc(range.to());
        LocalDateTime firstWholeDay = from.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)
                ? from : from.toLocalDate().plusDays(1).atStartOfDay();
        LocalDateTime endOfWholeDays = to.toLocalDate().atStartOfDay();
        if (!firstWholeDay.isBefore(endOfWholeDays)) {
            // no whole day: every hour is an edge hour
            firstWholeDay = to;
            endOfWholeDays = to;
        }
        PreparedStatement q = connection.prepareStatement(sql);
        q.setObject(1, firstWholeDay);
        q.setObject(2, endOfWholeDays);
        // The edges as two ranges rather than one range minus the days, so that DuckDB reads
        // only the row groups of those hours.
        q.setObject(3, from);
        q.setObject(4, firstWholeDay);
        q.setObject(5, endOfWholeDays);
        q.setObject(6, to);
        return q;
    }

    private PreparedStatement prepare(String sql, TimeRange range) throws SQLException {
        PreparedStatement q = connection.prepareStatement(sql);
        q.setObject(1, CostTables.utc(range.from()));
        q.setObject(2, CostTables.utc(range.to()));
        return q;
    }

    private static double hours(TimeRange range) {
        return Math.max(1e-9, (range.toNanos() - range.fromNanos()) / 3.6e12);
    }

    @Override
    public synchronized void close() {
        if (ownsConnection) {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot close the cost database: " + e.getMessage(), e);
            }
        }
    }
}
