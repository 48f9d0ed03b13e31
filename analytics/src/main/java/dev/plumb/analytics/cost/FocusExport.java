package dev.plumb.analytics.cost;

import dev.plumb.analytics.TimeRange;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Cost rows in the FinOps FOCUS column layout, one row per pod, day and resource (CPU, memory,
 * storage, egress within the region, egress to the internet), written by DuckDB's {@code COPY}.
 * A pod is the FOCUS resource, its namespace the sub-account, and service, team, namespace and
 * node pool travel in {@code Tags}.
 */
public final class FocusExport {
    /** The file formats {@code plumb cost export} writes. */
    public enum Format {
        CSV, PARQUET;

        /** Parses {@code csv} or {@code parquet}. */
        public static Format parse(String text) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("format '" + text + "' is not csv or parquet");
        }
    }

    private static final String RESOURCE = """
            SELECT '%1$s' AS sku, '%2$s' AS category, '%3$s' AS unit, '%4$s' AS description,
                   day, pod, namespace, service, team, node_pool, %5$s AS quantity, %6$s AS cost
            FROM daily WHERE %5$s > 0 OR %6$s > 0""";

    private static final String ROWS = """
            WITH daily AS (
                SELECT date_trunc('day', hour) AS day, pod, namespace, service, team, node_pool,
                       sum(cpu_billed_ch) AS cpu_q, sum(cpu_cost) AS cpu_c,
                       sum(memory_billed_gh) AS mem_q, sum(memory_cost) AS mem_c,
                       sum(storage_gh) AS st_q, sum(storage_cost) AS st_c,
                       sum(egress_region_gib) AS er_q, sum(egress_region_cost) AS er_c,
                       sum(egress_internet_gib) AS ei_q, sum(egress_internet_cost) AS ei_c
                FROM cost_pod_hour WHERE hour >= ? AND hour < ?
                GROUP BY ALL
            ), charges AS (
                %s UNION ALL %s UNION ALL %s UNION ALL %s UNION ALL %s
            )
            SELECT cost AS BilledCost, cost AS EffectiveCost, cost AS ListCost, cost AS ContractedCost,
                   ? AS BillingCurrency,
                   date_trunc('month', day) AS BillingPeriodStart,
                   date_trunc('month', day) + INTERVAL 1 MONTH AS BillingPeriodEnd,
                   day AS ChargePeriodStart, day + INTERVAL 1 DAY AS ChargePeriodEnd,
                   'Usage' AS ChargeCategory, description AS ChargeDescription, 'Usage-Based' AS ChargeFrequency,
                   quantity AS ConsumedQuantity, unit AS ConsumedUnit, quantity AS PricingQuantity, unit AS PricingUnit,
                   CASE WHEN quantity > 0 THEN cost / quantity END AS ListUnitPrice,
                   CASE WHEN quantity > 0 THEN cost / quantity END AS ContractedUnitPrice,
                   'Standard' AS PricingCategory, 'Kubernetes' AS ProviderName, 'Plumb' AS PublisherName,
                   'Plumb' AS InvoiceIssuerName,
                   namespace || '/' || pod AS ResourceId, pod AS ResourceName, 'Pod' AS ResourceType,
                   category AS ServiceCategory, service AS ServiceName, sku AS SkuId,
                   namespace AS SubAccountId, namespace AS SubAccountName,
                   to_json({'service': service, 'team': team, 'namespace': namespace, 'node_pool': node_pool})::VARCHAR
                       AS Tags
            FROM charges ORDER BY ChargePeriodStart, ResourceId, SkuId
            """.formatted(
            RESOURCE.formatted("cpu", "Compute", "Core-Hours", "CPU, the larger of request and usage", "cpu_q", "cpu_c"),
            RESOURCE.formatted("memory", "Compute", "GiB-Hours", "Memory, the larger of request and usage", "mem_q",
                    "mem_c"),
            RESOURCE.formatted("storage", "Storage", "GiB-Hours", "Volume capacity", "st_q", "st_c"),
            RESOURCE.formatted("egress-region", "Networking", "GiB", "Egress within the region", "er_q", "er_c"),
            RESOURCE.formatted("egress-internet", "Networking", "GiB", "Egress to the internet", "ei_q", "ei_c"));

    private FocusExport() {
    }

    static long write(Connection connection, TimeRange range, Format format, Path out, String currency)
            throws SQLException {
        String target = out.toAbsolutePath().toString().replace("'", "''");
        String options = format == Format.CSV ? "FORMAT csv, HEADER true" : "FORMAT parquet";
        try (PreparedStatement copy = connection.prepareStatement(
                "COPY (" + ROWS + ") TO '" + target + "' (" + options + ")")) {
            copy.setObject(1, CostTables.utc(range.from()));
            copy.setObject(2, CostTables.utc(range.to()));
            copy.setString(3, currency);
            return copy.executeUpdate();
        }
    }
}
