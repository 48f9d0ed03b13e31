package dev.plumb.analytics.cost;

import java.time.Instant;

/**
 * The cost of one group (service, team or namespace) over one bucket starting at {@code ts}, in
 * the pricing file's currency; {@code network} is egress within the region and to the internet.
 * {@code source} says where the cost comes from: {@code usage} (measured or imported),
 * {@code declared} (the deploy adapter's declared resources, for hours without usage) or, for
 * the idle line, {@code capacity}.
 */
public record CostRow(String group, Instant ts, double cpu, double memory, double storage, double network,
                      double total, double podHours, String source) {
}
