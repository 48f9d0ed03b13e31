package dev.plumb.analytics.cost;

/**
 * The cost formula, OpenCost's: cost of a pod for an hour = Σ over its samples in the hour of
 * max(request, usage) × price × Δt for CPU and memory, + storage GiB × price × Δt, + egress
 * GiB × price. One statement, in DuckDB SQL, from {@code cost_usage} and {@code cost_prices}
 * into {@code cost_pod_hour}:
 * <ol>
 * <li>a sample stands for the time from it to the pod's next sample; the pod's last one for
 *     its declared interval, else the pod's usual (median) gap, else the usual gap of all pods;</li>
 * <li>that time is split at hour boundaries (which are also day boundaries, in UTC); egress
 *     bytes, counted per sample interval, are split in proportion;</li>
 * <li>each pod-hour takes the prices in force when the hour starts, from the most specific
 *     matching scope (label, then node pool, then namespace, then the defaults).</li>
 * </ol>
 */
final class CostFormula {
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** Rebuilds {@code cost_pod_hour} for every pod-hour. */
    static final String MATERIALISE = """
            INSERT INTO cost_pod_hour
            WITH ordered AS (
                SELECT *, lead(ts) OVER (PARTITION BY pod ORDER BY ts) AS next_ts
                FROM cost_usage
            ), usual AS (
                SELECT coalesce(median(epoch(next_ts) - epoch(ts)) FILTER (WHERE next_ts > ts), 60) AS gap FROM ordered
            ), segments AS (
                SELECT o.*, ts AS seg_start,
                       coalesce(next_ts, ts + to_microseconds(CAST(1e6 * coalesce(interval_s,
                           median(epoch(next_ts) - epoch(ts)) FILTER (WHERE next_ts > ts) OVER (PARTITION BY pod),
                           (SELECT gap FROM usual)) AS BIGINT))) AS seg_end
                FROM ordered o
            ), hours AS (
                SELECT *, unnest(generate_series(date_trunc('hour', seg_start), seg_end - INTERVAL 1 MICROSECOND,
                                                 INTERVAL 1 HOUR)) AS hour
                FROM segments WHERE seg_end > seg_start
            ), pieces AS (
                SELECT *, (epoch(least(seg_end, hour + INTERVAL 1 HOUR)) - epoch(greatest(seg_start, hour))) AS secs,
                          epoch(seg_end) - epoch(seg_start) AS seg_secs
                FROM hours
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
                GROUP BY ALL
            ), priced AS (
                SELECT h.*, p.cpu AS p_cpu, p.memory AS p_memory, p.storage AS p_storage,
                       p.egress_region AS p_egress_region, p.egress_internet AS p_egress_internet
                FROM hourly h JOIN cost_prices p
                  ON h.hour >= p.valid_from AND h.hour < p.valid_to
                 AND (p.scope = 'default'
                      OR (p.scope = 'namespace' AND p.value = h.namespace)
                      OR (p.scope = 'node_pool' AND p.value = h.node_pool)
                      OR (p.scope = 'label' AND json_extract_string(h.labels, '/' || p.label_key) = p.value))
                QUALIFY row_number() OVER (PARTITION BY h.hour, h.pod, h.namespace, h.service, h.team, h.node_pool,
                                                        h.labels ORDER BY p.priority DESC) = 1
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
            """.formatted(GIB);

    private CostFormula() {
    }
}
