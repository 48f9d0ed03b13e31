package dev.plumb.analytics.cost;

import dev.plumb.analytics.TimeRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Efficiency per service (usage ÷ request, weighted by cost) and the requests to set instead:
 * the 95th percentile of the usage samples ÷ the target utilisation, at least 10 mCPU and
 * 20 MiB, suggested when it is under 80 % of today's average request. The saving is a month
 * of the difference at the service's average replicas while it ran and its average prices.
 */
final class Rightsizing {
    static final double MIN_CPU_CORES = 0.010;
    static final double MIN_MEMORY_BYTES = 20 * 1024.0 * 1024;
    /** A suggestion below this share of the request is worth making. */
    static final double FAR_BELOW = 0.8;
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** Prepares a statement over the rolled-up costs, its window already bound. */
    @FunctionalInterface
    interface RolledUp {
        PreparedStatement prepare(String sqlWithSource) throws SQLException;
    }

    private final Connection connection;
    private final double monthHours;
    private final double target;

    Rightsizing(Connection connection, double monthHours, double targetUtilisation) {
        if (!(targetUtilisation > 0 && targetUtilisation <= 1)) {
            throw new IllegalArgumentException("target utilisation must be in (0, 1], got " + targetUtilisation);
        }
        this.connection = connection;
        this.monthHours = monthHours;
        this.target = targetUtilisation;
    }

    List<ServiceEfficiency> of(String service, TimeRange range, RolledUp rolledUp) throws SQLException {
        Map<String, double[]> percentiles = new HashMap<>();
        try (PreparedStatement q = connection.prepareStatement("""
                SELECT service, quantile_cont(cpu_usage, 0.95), quantile_cont(memory_usage, 0.95),
                       avg(cpu_request), avg(memory_request)
                FROM cost_usage WHERE ts >= ? AND ts < ? AND (? IS NULL OR service = ?) AND source <> 'declared'
                GROUP BY service""")) {
            q.setObject(1, CostTables.utc(range.from()));
            q.setObject(2, CostTables.utc(range.to()));
            q.setString(3, service);
            q.setString(4, service);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    percentiles.put(r.getString(1), new double[] {r.getDouble(2), r.getDouble(3), r.getDouble(4),
                            r.getDouble(5)});
                }
            }
        }
        List<ServiceEfficiency> out = new ArrayList<>();
        try (PreparedStatement q = rolledUp.prepare("""
                SELECT service, sum(cpu_usage_ch), sum(cpu_request_ch), sum(cpu_billed_ch), sum(cpu_cost),
                       sum(memory_usage_gh), sum(memory_request_gh), sum(memory_billed_gh), sum(memory_cost),
                       sum(pod_hours), sum(hours_seen), sum(total_cost)
                FROM %s AND (? IS NULL OR service = ?) GROUP BY service HAVING sum(pod_hours) > 0""")) {
            q.setString(7, service);
            q.setString(8, service);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    double[] p = percentiles.get(r.getString(1));
                    if (p != null) {
                        out.add(efficiency(r, p));
                    }
                }
            }
        }
        out.sort(Comparator.comparingDouble(ServiceEfficiency::efficiency).thenComparing(ServiceEfficiency::service));
        return out;
    }

    private ServiceEfficiency efficiency(ResultSet r, double[] p) throws SQLException {
        double cpuUsage = r.getDouble(2);
        double cpuRequest = r.getDouble(3);
        double cpuBilled = r.getDouble(4);
        double cpuCost = r.getDouble(5);
        double memoryUsage = r.getDouble(6);
        double memoryRequest = r.getDouble(7);
        double memoryBilled = r.getDouble(8);
        double memoryCost = r.getDouble(9);
        double replicas = r.getDouble(10) / Math.max(1, r.getDouble(11));
        double cpuEfficiency = cpuRequest > 0 ? cpuUsage / cpuRequest : 0;
        double memoryEfficiency = memoryRequest > 0 ? memoryUsage / memoryRequest : 0;
        double compute = cpuCost + memoryCost;
        double overall = compute > 0 ? (cpuEfficiency * cpuCost + memoryEfficiency * memoryCost) / compute : 0;

        double cpuP95 = p[0];
        double memoryP95 = p[1];
        double cpuRequestNow = p[2];
        double memoryRequestNow = p[3];
        double cpuTo = Math.max(MIN_CPU_CORES, cpuP95 / target);
        double memoryTo = Math.max(MIN_MEMORY_BYTES, memoryP95 / target);
        Double suggestedCpu = cpuTo < FAR_BELOW * cpuRequestNow ? cpuTo : null;
        Double suggestedMemory = memoryTo < FAR_BELOW * memoryRequestNow ? memoryTo : null;
        double saving = 0;
        if (suggestedCpu != null && cpuBilled > 0) {
            saving += (cpuRequestNow - suggestedCpu) * replicas * monthHours * (cpuCost / cpuBilled);
        }
        if (suggestedMemory != null && memoryBilled > 0) {
            saving += (memoryRequestNow - suggestedMemory) / GIB * replicas * monthHours * (memoryCost / memoryBilled);
        }
        return new ServiceEfficiency(r.getString(1), cpuEfficiency, memoryEfficiency, overall, r.getDouble(12),
                cpuRequestNow, cpuP95, suggestedCpu, memoryRequestNow, memoryP95, suggestedMemory, saving);
    }
}
