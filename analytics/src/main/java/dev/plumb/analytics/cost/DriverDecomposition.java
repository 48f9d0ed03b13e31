package dev.plumb.analytics.cost;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Splits the change in cost between two periods into drivers that add up to it exactly. Per
 * service and resource, with Q the quantity billed and P its average price, C1 − C0 =
 * (Q1 − Q0) × P0 (usage effect) + (P1 − P0) × Q1 (price effect); for CPU and memory the usage
 * effect splits further into replica-hours, requests per replica and usage above request.
 * Services present in only one period are whole drivers of their own. The parts are then
 * rounded to the cent by largest remainder, so that they add up to the rounded delta.
 */
final class DriverDecomposition {
    private static final double MIB = 1024.0 * 1024;

    private final double baselineHours;
    private final double currentHours;

    DriverDecomposition(double baselineHours, double currentHours) {
        this.baselineHours = baselineHours;
        this.currentHours = currentHours;
    }

    /** The drivers of the change from {@code baseline} to {@code current}, both keyed by service. */
    CostDrivers decompose(String currency, Map<String, ServicePeriod> baseline, Map<String, ServicePeriod> current) {
        List<Part> parts = new ArrayList<>();
        TreeSet<String> services = new TreeSet<>(baseline.keySet());
        services.addAll(current.keySet());
        for (String service : services) {
            ServicePeriod b = baseline.get(service);
            ServicePeriod c = current.get(service);
            if (b == null) {
                parts.add(new Part(service, "appeared", c.total(), amount -> String.format(Locale.ROOT,
                        "%s appeared (%.1f pod-hours, %.1f pods on average): %s", service, c.podHours(),
                        c.podHours() / currentHours, amount)));
            } else if (c == null) {
                parts.add(new Part(service, "disappeared", -b.total(), amount -> String.format(Locale.ROOT,
                        "%s disappeared (it ran %.1f pod-hours in the baseline): %s", service, b.podHours(), amount)));
            } else {
                decomposeService(service, b, c, parts);
            }
        }
        long baselineCents = cents(baseline.values().stream().mapToDouble(ServicePeriod::total).sum());
        long currentCents = cents(current.values().stream().mapToDouble(ServicePeriod::total).sum());
        List<CostDriver> drivers = new ArrayList<>();
        long[] rounded = allocate(parts, currentCents - baselineCents);
        for (int i = 0; i < parts.size(); i++) {
            if (rounded[i] != 0) {
                Part p = parts.get(i);
                String amount = signed(rounded[i]);
                drivers.add(new CostDriver(p.service(), p.driver(), rounded[i] / 100.0, p.sentence().explain(amount)));
            }
        }
        drivers.sort(Comparator.comparingDouble((CostDriver d) -> -Math.abs(d.delta())).thenComparing(CostDriver::service));
        return new CostDrivers(currency, baselineCents / 100.0, currentCents / 100.0,
                (currentCents - baselineCents) / 100.0, drivers);
    }

    private void decomposeService(String service, ServicePeriod b, ServicePeriod c, List<Part> parts) {
        double cpuPrice = basePrice(b.cpuCost(), b.cpuBilled(), c.cpuCost(), c.cpuBilled());
        double memoryPrice = basePrice(b.memoryCost(), b.memoryBilled(), c.memoryCost(), c.memoryBilled());
        double storagePrice = basePrice(b.storageCost(), b.storage(), c.storageCost(), c.storage());
        double regionPrice = basePrice(b.egressRegionCost(), b.egressRegion(), c.egressRegionCost(), c.egressRegion());
        double internetPrice = basePrice(b.egressInternetCost(), b.egressInternet(), c.egressInternetCost(),
                c.egressInternet());
        double cpuPerPod0 = b.cpuRequest() / b.podHours();
        double memoryPerPod0 = b.memoryRequest() / b.podHours();

        double replicas = (c.podHours() - b.podHours()) * (cpuPerPod0 * cpuPrice + memoryPerPod0 * memoryPrice);
        double requests = (c.cpuRequest() - c.podHours() * cpuPerPod0) * cpuPrice
                + (c.memoryRequest() - c.podHours() * memoryPerPod0) * memoryPrice;
        double aboveRequest = ((c.cpuBilled() - c.cpuRequest()) - (b.cpuBilled() - b.cpuRequest())) * cpuPrice
                + ((c.memoryBilled() - c.memoryRequest()) - (b.memoryBilled() - b.memoryRequest())) * memoryPrice;
        double storage = (c.storage() - b.storage()) * storagePrice;
        double egress = (c.egressRegion() - b.egressRegion()) * regionPrice
                + (c.egressInternet() - b.egressInternet()) * internetPrice;
        double prices = (c.cpuCost() - c.cpuBilled() * cpuPrice) + (c.memoryCost() - c.memoryBilled() * memoryPrice)
                + (c.storageCost() - c.storage() * storagePrice)
                + (c.egressRegionCost() - c.egressRegion() * regionPrice)
                + (c.egressInternetCost() - c.egressInternet() * internetPrice);

        parts.add(new Part(service, "replica-hours", replicas, amount -> String.format(Locale.ROOT,
                "%s ran %.1f pods on average instead of %.1f (%.1f pod-hours instead of %.1f): %s", service,
                c.podHours() / currentHours, b.podHours() / baselineHours, c.podHours(), b.podHours(), amount)));
        parts.add(new Part(service, "requests", requests, amount -> String.format(Locale.ROOT,
                "%s requested %.3f cores and %.0f MiB per pod instead of %.3f cores and %.0f MiB: %s", service,
                c.cpuRequest() / c.podHours(), c.memoryRequest() / c.podHours() * 1024, cpuPerPod0,
                memoryPerPod0 * 1024, amount)));
        parts.add(new Part(service, "usage-above-request", aboveRequest, amount -> String.format(Locale.ROOT,
                "%s used %.2f core-hours and %.2f GiB-hours above its requests instead of %.2f and %.2f: %s",
                service, c.cpuBilled() - c.cpuRequest(), c.memoryBilled() - c.memoryRequest(),
                b.cpuBilled() - b.cpuRequest(), b.memoryBilled() - b.memoryRequest(), amount)));
        parts.add(new Part(service, "prices", prices, amount -> String.format(Locale.ROOT,
                "prices for %s changed (CPU %.6f to %.6f per core-hour, memory %.6f to %.6f per GiB-hour): %s",
                service, cpuPrice, average(c.cpuCost(), c.cpuBilled(), cpuPrice), memoryPrice,
                average(c.memoryCost(), c.memoryBilled(), memoryPrice), amount)));
        parts.add(new Part(service, "storage", storage, amount -> String.format(Locale.ROOT,
                "%s kept %.1f GiB of storage on average instead of %.1f: %s", service,
                c.storage() / currentHours, b.storage() / baselineHours, amount)));
        parts.add(new Part(service, "egress", egress, amount -> String.format(Locale.ROOT,
                "%s sent %.1f GiB of egress instead of %.1f (%.1f GiB to the internet instead of %.1f): %s", service,
                c.egressRegion() + c.egressInternet(), b.egressRegion() + b.egressInternet(), c.egressInternet(),
                b.egressInternet(), amount)));
    }

    /** P0: the baseline's average price, else the current one's when the baseline used none of it. */
    private static double basePrice(double cost0, double quantity0, double cost1, double quantity1) {
        return quantity0 > 0 ? cost0 / quantity0 : quantity1 > 0 ? cost1 / quantity1 : 0;
    }

    private static double average(double cost, double quantity, double otherwise) {
        return quantity > 0 ? cost / quantity : otherwise;
    }

    /**
     * Rounds each part to whole cents so that they add up to {@code totalCents}: round down,
     * then give the remaining cents to the largest remainders (or take them from the smallest).
     */
    static long[] allocate(List<Part> parts, long totalCents) {
        int n = parts.size();
        long[] out = new long[n];
        double[] remainder = new double[n];
        long sum = 0;
        for (int i = 0; i < n; i++) {
            double exact = parts.get(i).delta() * 100;
            out[i] = (long) Math.floor(exact);
            remainder[i] = exact - out[i];
            sum += out[i];
        }
        long left = totalCents - sum;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -remainder[i]));
        for (int k = 0; left > 0 && n > 0; k = (k + 1) % n, left--) {
            out[order[k]]++;
        }
        for (int k = n - 1; left < 0 && n > 0; k = (k - 1 + n) % n, left++) {
            out[order[k]]--;
        }
        return out;
    }

    static long cents(double amount) {
        return BigDecimal.valueOf(amount).setScale(2, RoundingMode.HALF_UP).movePointRight(2).longValueExact();
    }

    private static String signed(long cents) {
        return (cents >= 0 ? "+" : "-") + BigDecimal.valueOf(Math.abs(cents), 2).toPlainString();
    }

    /** A sentence that still needs its rounded amount. */
    @FunctionalInterface
    interface Sentence {
        String explain(String amount);
    }

    /** A driver before rounding. */
    record Part(String service, String driver, double delta, Sentence sentence) {
    }
}
