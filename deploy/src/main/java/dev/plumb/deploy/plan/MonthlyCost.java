package dev.plumb.deploy.plan;

import dev.plumb.analytics.cost.Prices;
import dev.plumb.analytics.cost.Pricing;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The monthly cost of declared resources: month hours x replicas x (CPU cores x core-hour price +
 * memory GiB x GiB-hour price) + replicas x volume GiB x GiB-month price, at the prices in force
 * at {@code at}, with the pricing file's namespace overrides applied.
 */
public final class MonthlyCost {

    private final Pricing pricing;
    private final Instant at;

    public MonthlyCost(Pricing pricing, Instant at) {
        this.pricing = pricing;
        this.at = at;
    }

    public String currency() {
        return pricing.currency();
    }

    public double monthHours() {
        return pricing.monthHours();
    }

    /** The cost of one month of {@code r}, or zero for null (a service that does not exist on that side). */
    public BigDecimal of(ServiceResources r) {
        if (r == null) {
            return BigDecimal.ZERO;
        }
        Prices p = pricesFor(r.namespace());
        BigDecimal replicas = BigDecimal.valueOf(r.replicas());
        BigDecimal perPodHour = r.cpuCores().multiply(BigDecimal.valueOf(p.cpuCoreHour()))
                .add(r.memoryGiB().multiply(BigDecimal.valueOf(p.memoryGiBHour())));
        BigDecimal compute = BigDecimal.valueOf(pricing.monthHours()).multiply(replicas).multiply(perPodHour);
        BigDecimal storage = replicas.multiply(r.storageGiB()).multiply(BigDecimal.valueOf(p.storageGiBMonth()));
        return compute.add(storage).round(MathContext.DECIMAL64);
    }

    private Prices pricesFor(String namespace) {
        Prices base = pricing.at(at);
        for (Pricing.PriceOverride o : pricing.overrides()) {
            if (o.scope() == Pricing.Scope.NAMESPACE && o.value().equals(namespace)) {
                Map<String, Double> changed = new LinkedHashMap<>();
                o.changes().stream().filter(c -> !c.from().isAfter(at)).forEach(c -> changed.putAll(c.changed()));
                return base.with(changed);
            }
        }
        return base;
    }
}
