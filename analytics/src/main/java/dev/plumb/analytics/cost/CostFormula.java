package dev.plumb.analytics.cost;

/**
 * The cost formula, OpenCost's: cost of a pod for an hour = Σ over its samples in the hour of
 * max(request, usage) × price × Δt for CPU and memory, + storage GiB × price × Δt, + egress
 * GiB × price. In DuckDB SQL, from {@code cost_usage} and {@code cost_prices} into
 * {@code cost_pod_hour}, for the pods listed in {@code cost_todo} from their {@code first_hour}
 * on (every pod from the start on a full rebuild, only the hours new samples touch otherwise):
 * <ol>
 * <li>a sample stands for the time from it to the pod's next sample; when there is none within
 *     a day (the pod stopped, or this is its last sample) for its declared interval, else the gap
 *     before it, else a minute, and never more than a day. The bound keeps a pod that is gone for
 *     a week from being billed for that week, and keeps every recomputation local: an hour depends
 *     only on the samples of the two days before it;</li>
 * <li>that time is split at hour boundaries (which are also day boundaries, in UTC); egress
 *     bytes, counted per sample interval, are split in proportion;</li>
 * <li>each pod-hour takes the prices in force when the hour starts, from the most specific
 *     matching scope (label, then node pool, then namespace, then the defaults).</li>
 * </ol>
 */
final class CostFormula {
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** The longest time one sample may stand for, and so the reach of a change. */
    static final String MAX_GAP = "INTERVAL 1 DAY";

    /**
     * Per pod of {@code cost_todo} (pod, from_ts: its earliest new or removed sample), the first
     * hour to rewrite: that of its previous sample when it lies within a day (its time now ends
     * at the new sample), else that of the new sample. {@code ?}: a lower bound of every
     * {@code from_ts} minus a day, so that DuckDB skips older row groups.
     */
    static final String FIRST_HOURS = """
            CREATE OR REPLACE TEMP TABLE cost_todo_hours AS
            SELECT t.pod, date_trunc('hour', coalesce(max(u.ts), t.from_ts)) AS first_hour
            FROM cost_todo t LEFT JOIN (SELECT pod, ts FROM cost_usage WHERE ts >= ?) u
              ON u.pod = t.pod AND u.ts < t.from_ts AND u.ts >= t.from_ts - %s
            GROUP BY t.pod, t.from_ts
            """.formatted(MAX_GAP);

    /** Removes the pod-hours about to be recomputed; {@code ?}: the earliest first hour. */
    static final String FORGET = """
            DELETE FROM cost_pod_hour h USING cost_todo_hours t
            WHERE h.hour >= ? AND h.pod = t.pod AND h.hour >= t.first_hour
            """;

    /**
     * Computes the pod-hours of {@code cost_todo_hours} from their first hour on. {@code ?}: the
     * earliest first hour minus two days, the oldest sample that can matter (a sample reaches at
     * most a day forward, and its gap before looks at most a day back).
     */
    static final String MATERIALISE = """
            INSERT INTO cost_pod_hour
            WITH input AS (
                SELECT u.*, t.first_hour FROM cost_usage u JOIN cost_todo_hours t ON u.pod = t.pod
                WHERE u.ts >= ? AND u.ts >= t.first_hour - 2 * %2$s
            ), ordered AS (
                SELECT *, lead(ts) OVER w AS next_ts, lag(ts) OVER w AS prev_ts
                FROM input WINDOW w AS (PARTITION BY pod ORDER BY ts)
            ), segments AS (
                SELECT * EXCLUDE (next_ts, prev_ts), ts AS seg_start,
                       %3$s AS seg_end
                FROM ordered
            ), pieces AS (
                -- most samples fall within one hour: they skip the split
                SELECT date_trunc('hour', seg_start) AS hour, *, epoch(seg_end) - epoch(seg_start) AS secs,
                       epoch(seg_end) - epoch(seg_start) AS seg_secs
                FROM segments
                WHERE seg_end > seg_start
                  AND date_trunc('hour', seg_start) = date_trunc('hour', seg_end - INTERVAL 1 MICROSECOND)
                UNION ALL BY NAME
                SELECT *, epoch(least(seg_end, hour + INTERVAL 1 HOUR)) - epoch(greatest(seg_start, hour)) AS secs,
                       epoch(seg_end) - epoch(seg_start) AS seg_secs
                FROM (SELECT *, unnest(generate_series(date_trunc('hour', seg_start), seg_end - INTERVAL 1 MICROSECOND,
                                                       INTERVAL 1 HOUR)) AS hour
                      FROM segments
                      WHERE seg_end > seg_start
                        AND date_trunc('hour', seg_start) <> date_trunc('hour', seg_end - INTERVAL 1 MICROSECOND))
            ), hourly AS (
                SELECT hour, pod, namespace, service, team, node_pool, labels,
                       sum(secs) / 3600 AS pod_hours,
                       sum(cpu_request * secs) / 3600 AS cpu_request_ch,
                       sum(cpu_usage * secs) / 3600 AS cpu_usage_ch,
                       sum(greatest(cpu_request, cpu_usage) * secs) / 3600 AS cpu_billed_ch,
                       sum(memory_request * secs) / 3600 / %1$s AS memory_request_gh,
                       sum(memory_usage * secs) / 3600 / %1$s AS memory_usage_gh,
                       sum(greatest(memory_request, memory_usage) * secs) / 3600 / %1$s AS memory_billed_gh,
                       sum(storage * secs) / 3600 / %1$s AS storage_gh,
                       sum(egress_region * secs / seg_secs) / %1$s AS egress_region_gib,
                       sum(egress_internet * secs / seg_secs) / %1$s AS egress_internet_gib
                FROM pieces
                WHERE hour >= first_hour
                GROUP BY ALL
            ), price_keys AS (
                -- prices resolved once per hour and scope key, not per pod-hour
                SELECT DISTINCT hour, namespace, node_pool, labels::VARCHAR AS labels FROM hourly
            ), priced_keys AS (
                SELECT k.*, p.cpu AS p_cpu, p.memory AS p_memory, p.storage AS p_storage,
                       p.egress_region AS p_egress_region, p.egress_internet AS p_egress_internet
                FROM price_keys k JOIN cost_prices p
                  ON k.hour >= p.valid_from AND k.hour < p.valid_to
                 AND (p.scope = 'default'
                      OR (p.scope = 'namespace' AND p.value = k.namespace)
                      OR (p.scope = 'node_pool' AND p.value = k.node_pool)
                      OR (p.scope = 'label' AND json_extract_string(k.labels, '/' || p.label_key) = p.value))
                QUALIFY row_number() OVER (PARTITION BY k.hour, k.namespace, k.node_pool, k.labels
                                           ORDER BY p.priority DESC) = 1
            ), priced AS (
                SELECT h.*, k.p_cpu, k.p_memory, k.p_storage, k.p_egress_region, k.p_egress_internet
                FROM hourly h JOIN priced_keys k
                  ON h.hour = k.hour AND h.namespace = k.namespace AND h.node_pool = k.node_pool
                 AND h.labels::VARCHAR = k.labels
            )
            SELECT hour, pod, namespace, service, team, node_pool, pod_hours,
                   cpu_request_ch, cpu_usage_ch, cpu_billed_ch,
                   memory_request_gh, memory_usage_gh, memory_billed_gh,
                   storage_gh, egress_region_gib, egress_internet_gib,
                   cpu_billed_ch * p_cpu AS cpu_cost,
                   memory_billed_gh * p_memory AS memory_cost,
                   storage_gh * p_storage AS storage_cost,
                   egress_region_gib * p_egress_region AS egress_region_cost,
                   egress_internet_gib * p_egress_internet AS egress_internet_cost,
                   egress_region_gib * p_egress_region + egress_internet_gib * p_egress_internet AS network_cost,
                   cpu_billed_ch * p_cpu + memory_billed_gh * p_memory + storage_gh * p_storage
                     + egress_region_gib * p_egress_region + egress_internet_gib * p_egress_internet AS total_cost
            FROM priced
            """.formatted(GIB, MAX_GAP, segmentEnd());

    /** The numeric columns of {@code cost_pod_hour}, summed as they are by the daily rollup. */
    static final String SUMMED = "pod_hours, cpu_request_ch, cpu_usage_ch, cpu_billed_ch, memory_request_gh,"
            + " memory_usage_gh, memory_billed_gh, storage_gh, egress_region_gib, egress_internet_gib, cpu_cost,"
            + " memory_cost, storage_cost, egress_region_cost, egress_internet_cost, network_cost, total_cost";

    /** Drops the daily rollup from day {@code ?} on, before {@link #ROLL_UP} rebuilds it. */
    static final String UNROLL = "DELETE FROM cost_service_day WHERE day >= ?";

    /** Rebuilds the daily rollup per service, team and namespace from day {@code ?} on. */
    static final String ROLL_UP = "INSERT INTO cost_service_day SELECT date_trunc('day', hour) AS day, service, team,"
            + " namespace, " + sums() + ", count(DISTINCT hour) AS hours_seen FROM cost_pod_hour WHERE hour >= ?"
            + " GROUP BY ALL";

    private CostFormula() {
    }

    /**
     * Where the time a sample stands for ends, from its {@code ts}, {@code next_ts},
     * {@code prev_ts} and {@code interval_s} (rule 1 above); shared with node capacity samples.
     */
    static String segmentEnd() {
        return """
                CASE WHEN next_ts <= ts + %1$s THEN next_ts
                     ELSE ts + to_microseconds(CAST(1e6 * least(epoch(%1$s), coalesce(interval_s,
                         CASE WHEN ts - prev_ts <= %1$s THEN epoch(ts) - epoch(prev_ts) END, 60)) AS BIGINT))
                END""".formatted(MAX_GAP);
    }

    /** {@code sum(c) AS c} for every column of {@link #SUMMED}. */
    static String sums() {
        StringBuilder out = new StringBuilder();
        for (String c : SUMMED.split(",\\s*")) {
            out.append(out.isEmpty() ? "" : ", ").append("sum(").append(c).append(") AS ").append(c);
        }
        return out.toString();
    }
}
