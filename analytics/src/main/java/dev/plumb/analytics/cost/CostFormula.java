package dev.plumb.analytics.cost;

/**
 * The cost formula, OpenCost's: cost of a pod for an hour = Σ over its samples in the hour of
 * max(request, usage) × price × Δt for CPU and memory, + storage GiB × price × Δt, + egress
 * GiB × price. In DuckDB SQL, from {@code cost_sample} and {@code cost_prices} into
 * {@code cost_hour}, for the pods listed in {@code cost_todo} from their {@code first_hour}
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
 *     matching scope (label, then node pool, then namespace, then the defaults), resolved once
 *     per pod and span of unchanged prices rather than once per pod-hour.</li>
 * </ol>
 */
final class CostFormula {
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** The longest time one sample may stand for, and so the reach of a change. */
    static final String MAX_GAP = "INTERVAL 1 DAY";

    /**
     * Per pod of {@code cost_todo} (pod_id, from_ts: its earliest new or removed sample), the first
     * hour to rewrite: that of its previous sample when it lies within a day (its time now ends
     * at the new sample), else that of the new sample. {@code ?}: a lower bound of every
     * {@code from_ts} minus a day, so that DuckDB skips older row groups.
     */
    static final String FIRST_HOURS = """
            CREATE OR REPLACE TEMP TABLE cost_todo_hours AS
            SELECT t.pod_id, date_trunc('hour', coalesce(max(u.ts), t.from_ts)) AS first_hour
            FROM cost_todo t LEFT JOIN (SELECT pod_id, ts FROM cost_sample WHERE ts >= ?) u
              ON u.pod_id = t.pod_id AND u.ts < t.from_ts AND u.ts >= t.from_ts - %s
            GROUP BY t.pod_id, t.from_ts
            """.formatted(MAX_GAP);

    /** Removes the pod-hours about to be recomputed; {@code ?}: the earliest first hour. */
    static final String FORGET = """
            DELETE FROM cost_hour h USING (SELECT p.pod_key, t.first_hour FROM cost_todo_hours t JOIN cost_pod p USING (pod_id)) t
            WHERE h.hour >= ? AND h.pod_key = t.pod_key AND h.hour >= t.first_hour
            """;

    /**
     * Computes the pod-hours of {@code cost_todo_hours} from their first hour on, within one batch
     * of hours {@code [from, to)}. The {@code ?}s: from; to; the oldest sample that can matter
     * (the later of from and the earliest first hour, minus two days: a sample reaches at most a
     * day forward, and its gap before looks at most a day back); to plus a day (the newest
     * sample that can matter); to. Batches keep a year's window and grouping within memory, and
     * write the hourly table in time order, so that its zone maps let hour ranges skip row groups.
     */
    static final String MATERIALISE = """
            INSERT INTO cost_hour
            WITH input AS (
                SELECT u.* EXCLUDE (source), t.first_hour
                FROM cost_sample u
                JOIN (SELECT pod_id, greatest(first_hour, ?) AS first_hour FROM cost_todo_hours WHERE first_hour < ?) t
                  ON u.pod_id = t.pod_id
                WHERE u.ts >= ? AND u.ts < ? AND u.ts >= t.first_hour - 2 * %2$s
            ), ordered AS (
                SELECT *, lead(ts) OVER w AS next_ts, lag(ts) OVER w AS prev_ts
                FROM input WINDOW w AS (PARTITION BY pod_id ORDER BY ts)
            ), segments AS (
                SELECT * EXCLUDE (next_ts, prev_ts), ts AS seg_start, date_trunc('hour', ts) AS start_hour,
                       %3$s AS seg_end
                FROM ordered
            ), spans AS (
                SELECT *, date_trunc('hour', seg_end - INTERVAL 1 MICROSECOND) AS end_hour,
                       epoch(seg_end) - epoch(seg_start) AS seg_secs
                FROM segments WHERE seg_end > seg_start
            ), pieces AS (
                -- most samples fall within one hour: they skip the split
                SELECT start_hour AS hour, *, seg_secs AS secs FROM spans WHERE start_hour = end_hour
                UNION ALL BY NAME
                SELECT *, epoch(least(seg_end, hour + INTERVAL 1 HOUR)) - epoch(greatest(seg_start, hour)) AS secs
                FROM (SELECT *, unnest(generate_series(start_hour, end_hour, INTERVAL 1 HOUR)) AS hour
                      FROM spans WHERE start_hour <> end_hour)
            ), hourly AS (
                SELECT hour, pod_key,
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
                WHERE hour >= first_hour AND hour < ?
                GROUP BY ALL
            ), epochs AS (
                -- the spans in which no price changes, so that prices resolve once per pod and span
                SELECT t AS e_from, lead(t) OVER (ORDER BY t) AS e_to
                FROM (SELECT valid_from AS t FROM cost_prices UNION SELECT valid_to FROM cost_prices)
            ), pod_prices AS (
                SELECT k.pod_key, e.e_from, e.e_to, p.cpu AS p_cpu, p.memory AS p_memory, p.storage AS p_storage,
                       p.egress_region AS p_egress_region, p.egress_internet AS p_egress_internet
                FROM cost_todo_hours t JOIN cost_pod k USING (pod_id) CROSS JOIN epochs e JOIN cost_prices p
                  ON e.e_from >= p.valid_from AND e.e_to <= p.valid_to
                 AND (p.scope = 'default'
                      OR (p.scope = 'namespace' AND p.value = k.namespace)
                      OR (p.scope = 'node_pool' AND p.value = k.node_pool)
                      OR (p.scope = 'label' AND json_extract_string(k.labels, '/' || p.label_key) = p.value))
                WHERE e.e_to IS NOT NULL
                QUALIFY row_number() OVER (PARTITION BY k.pod_key, e.e_from ORDER BY p.priority DESC) = 1
            ), priced AS (
                SELECT h.*, k.p_cpu, k.p_memory, k.p_storage, k.p_egress_region, k.p_egress_internet
                FROM hourly h JOIN pod_prices k ON h.pod_key = k.pod_key AND h.hour >= k.e_from AND h.hour < k.e_to
            )
            SELECT hour, pod_key, pod_hours,
                   cpu_request_ch, cpu_usage_ch, cpu_billed_ch,
                   memory_request_gh, memory_usage_gh, memory_billed_gh,
                   storage_gh, egress_region_gib, egress_internet_gib,
                   cpu_billed_ch * p_cpu AS cpu_cost,
                   memory_billed_gh * p_memory AS memory_cost,
                   storage_gh * p_storage AS storage_cost,
                   egress_region_gib * p_egress_region AS egress_region_cost,
                   egress_internet_gib * p_egress_internet AS egress_internet_cost
            FROM priced
            """.formatted(GIB, MAX_GAP, segmentEnd());

    /** The numeric columns of {@code cost_pod_hour}, summed as they are by the daily rollup. */
    static final String SUMMED = "pod_hours, cpu_request_ch, cpu_usage_ch, cpu_billed_ch, memory_request_gh,"
            + " memory_usage_gh, memory_billed_gh, storage_gh, egress_region_gib, egress_internet_gib, cpu_cost,"
            + " memory_cost, storage_cost, egress_region_cost, egress_internet_cost, network_cost, total_cost";

    /** Drops the daily rollup from day {@code ?} on, before {@link #ROLL_UP} rebuilds it. */
    static final String UNROLL = "DELETE FROM cost_service_day WHERE day >= ?";

    /** Rebuilds the daily rollup per service, team, namespace and source for the days {@code [?, ?)}. */
    static final String ROLL_UP = """
            INSERT INTO cost_service_day
            WITH grouped AS (
                -- an integer per service, team, namespace and source: the year's rows group by integers
                SELECT pod_key, dense_rank() OVER (ORDER BY service, team, namespace, origin) AS g,
                       service, team, namespace, origin
                FROM cost_pod
            ), hourly AS (
                SELECT hour, g, %1$s
                FROM (SELECT *, %2$s FROM cost_hour WHERE hour >= ? AND hour < ?) JOIN grouped k USING (pod_key)
                GROUP BY ALL
            ), daily AS (
                -- summed per hour first, so that counting the hours seen needs no DISTINCT
                SELECT date_trunc('day', hour) AS day, g, %1$s, count(*) AS hours_seen
                FROM hourly GROUP BY ALL
            )
            SELECT d.day, n.service, n.team, n.namespace, n.origin, d.* EXCLUDE (day, g)
            FROM daily d JOIN (SELECT DISTINCT g, service, team, namespace, origin FROM grouped) n USING (g)
            """.formatted(sums(), CostTables.DERIVED_MEASURES);

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
