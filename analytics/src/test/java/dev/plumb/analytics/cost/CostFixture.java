package dev.plumb.analytics.cost;

import dev.plumb.analytics.TimeRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * The hand-computed fixture ({@code cost/fixture-usage.csv} priced by {@code cost/pricing.yaml}),
 * 2026-03-01 and 2026-03-02, and its answers worked out by hand:
 * <pre>
 * checkout (shop → team commerce; pods named checkout-7d9f8c6b5-*, 6-hourly samples)
 *   per pod: CPU request 0.5 > usage 0.25; memory usage 1.5 GiB > request 1 GiB
 *   day 1, 2 pods: 2 × (0.5×24×0.031611 + 1.5×24×0.004237) = 2 × 0.531864 = 1.063728
 *                  + egress of one sample: 10 GiB × 0.01 + 1 GiB × 0.12 = 0.22      → 1.283728
 *   day 2, 3 pods, CPU 0.05 from 2026-03-02: 3 × (0.5×24×0.05 + 0.152532) = 2.257596
 * search (statefulset pod search-0, appears 2026-03-02 12:00, two samples → 12 h)
 *   CPU usage 1.5 > request 1; memory request 2 GiB > usage 1; 10 GiB storage
 *   1.5×12×0.05 + 2×12×0.004237 + 10×12×0.04/730 = 0.9 + 0.101688 + 0.006575342 = 1.008263342
 * reports (namespace batch, CPU 0.02 by override; 10:30 and 11:30 hourly samples → 10:30-12:30)
 *   each day: 2 cores × 2 h × 0.02 + 4 GiB × 2 h × 0.004237 = 0.08 + 0.033896 = 0.113896
 *   hours 10, 11, 12 hold 0.5, 1 and 0.5 pod-hours
 * legacy (pod legacy-5f6d7c8b9-zt2kq, day 1 only, namespace default → team default)
 *   0.25×24×0.031611 + 0.5×24×0.004237 = 0.189666 + 0.050844 = 0.24051
 * day 1 total 1.638134 (1.64), day 2 total 3.379755342 (3.38), delta 1.74
 * </pre>
 */
final class CostFixture {
    static final Instant DAY1 = Instant.parse("2026-03-01T00:00:00Z");
    static final Instant DAY2 = Instant.parse("2026-03-02T00:00:00Z");
    static final Instant END = Instant.parse("2026-03-03T00:00:00Z");
    static final TimeRange BOTH_DAYS = new TimeRange(DAY1, END);
    static final TimeRange FIRST_DAY = new TimeRange(DAY1, DAY2);
    static final TimeRange SECOND_DAY = new TimeRange(DAY2, END);

    static final double CHECKOUT_DAY1 = 1.283728;
    static final double CHECKOUT_DAY2 = 2.257596;
    static final double SEARCH_DAY2 = 1.008263342;
    static final double REPORTS_DAY = 0.113896;
    static final double LEGACY_DAY1 = 0.24051;

    private CostFixture() {
    }

    static Pricing pricing() {
        return Pricing.parse(resource("pricing.yaml"), "cost/pricing.yaml");
    }

    /** The fixture CSV copied into {@code dir}. */
    static Path csv(Path dir) {
        Path out = dir.resolve("fixture-usage.csv");
        try {
            Files.writeString(out, resource("fixture-usage.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static String resource(String name) {
        try (InputStream in = CostFixture.class.getResourceAsStream("/cost/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource cost/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path copy(Path from, Path to) throws IOException {
        return Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
}
