package dev.plumb.analytics.cost;

import java.util.Map;

/**
 * One complete set of unit prices, in the pricing file's currency. Storage is priced per
 * GiB-month as OpenCost does; {@link #storageGiBHour(double)} turns it into the hourly rate the
 * formula uses.
 */
public record Prices(double cpuCoreHour, double memoryGiBHour, double storageGiBMonth,
                     double egressRegionGiB, double egressInternetGiB) {

    /** The YAML keys of the five prices, in the order of the record's components. */
    public static final String[] KEYS = {"cpuCoreHour", "memoryGiBHour", "storageGiBMonth", "egressRegionGiB",
            "egressInternetGiB"};

    /** OpenCost's default on-premises prices. */
    public static final Prices OPENCOST_ON_PREMISES = new Prices(0.031611, 0.004237, 0.04, 0.01, 0.12);

    public Prices {
        double[] all = {cpuCoreHour, memoryGiBHour, storageGiBMonth, egressRegionGiB, egressInternetGiB};
        for (int i = 0; i < all.length; i++) {
            if (!(all[i] >= 0) || Double.isInfinite(all[i])) {
                throw new IllegalArgumentException("price " + KEYS[i] + " must be a finite number >= 0, got " + all[i]);
            }
        }
    }

    /** These prices with some of them replaced; keys are those of {@link #KEYS}. */
    public Prices with(Map<String, Double> changed) {
        return new Prices(
                changed.getOrDefault(KEYS[0], cpuCoreHour),
                changed.getOrDefault(KEYS[1], memoryGiBHour),
                changed.getOrDefault(KEYS[2], storageGiBMonth),
                changed.getOrDefault(KEYS[3], egressRegionGiB),
                changed.getOrDefault(KEYS[4], egressInternetGiB));
    }

    /** The storage price per GiB-hour for a month of {@code monthHours} hours. */
    public double storageGiBHour(double monthHours) {
        return storageGiBMonth / monthHours;
    }
}
