package dev.plumb.deploy.plan;

import dev.plumb.deploy.plan.ObjectChange.Action;
import java.math.BigDecimal;
import java.util.List;

/**
 * What applying a definition would change: every object with its action and changed fields, and
 * per service the monthly cost before and after, in {@code currency}.
 */
public record Plan(List<ObjectChange> changes, List<ServiceCost> costs, String currency, double monthHours) {

    public Plan {
        changes = List.copyOf(changes);
        costs = List.copyOf(costs);
    }

    /** How many objects get {@code action}. */
    public long count(Action action) {
        return changes.stream().filter(c -> c.action() == action).count();
    }

    /** Whether anything would change. */
    public boolean isEmpty() {
        return changes.stream().allMatch(c -> c.action() == Action.UNCHANGED);
    }

    public BigDecimal totalBefore() {
        return costs.stream().map(ServiceCost::beforeCost).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public BigDecimal totalAfter() {
        return costs.stream().map(ServiceCost::afterCost).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public BigDecimal totalDelta() {
        return totalAfter().subtract(totalBefore());
    }

    /** {@code 2 to create, 1 to update, 0 to delete, 25 unchanged; monthly cost +12.34 USD}. */
    public String summary() {
        return count(Action.CREATE) + " to create, " + count(Action.UPDATE) + " to update, " + count(Action.DELETE)
                + " to delete, " + count(Action.UNCHANGED) + " unchanged; monthly cost " + signed(totalDelta()) + " " + currency;
    }

    /** A money amount to the cent with its sign. */
    public static String signed(BigDecimal amount) {
        BigDecimal cents = amount.setScale(2, java.math.RoundingMode.HALF_UP);
        return (cents.signum() >= 0 ? "+" : "") + cents.toPlainString();
    }
}
