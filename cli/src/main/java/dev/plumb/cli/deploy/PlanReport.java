package dev.plumb.cli.deploy;

import dev.plumb.deploy.plan.FieldChange;
import dev.plumb.deploy.plan.ObjectChange;
import dev.plumb.deploy.plan.ObjectChange.Action;
import dev.plumb.deploy.plan.Plan;
import dev.plumb.deploy.plan.ServiceCost;
import dev.plumb.deploy.plan.ServiceResources;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** A plan as a person reads it: changed objects with their changed fields, then the monthly cost per service. */
final class PlanReport {

    private PlanReport() {
    }

    static void print(Plan plan, String against, PrintWriter out) {
        out.println("Plan against " + against + ":");
        for (ObjectChange c : plan.changes()) {
            if (c.action() == Action.UNCHANGED) {
                continue;
            }
            out.println("  " + c.action().sign() + " " + c.id());
            for (FieldChange f : c.fields()) {
                out.println("      " + f.describe());
            }
        }
        if (plan.isEmpty()) {
            out.println("  no changes");
        }
        out.println(plan.count(Action.CREATE) + " to create, " + plan.count(Action.UPDATE) + " to update, "
                + plan.count(Action.DELETE) + " to delete, " + plan.count(Action.UNCHANGED) + " unchanged.");
        out.println();
        out.println("Monthly cost (" + plan.currency() + ", " + BigDecimal.valueOf(plan.monthHours()).stripTrailingZeros().toPlainString()
                + "-hour month, requested resources):");
        int width = Math.max(7, plan.costs().stream().mapToInt(c -> c.service().length()).max().orElse(0));
        String row = "  %-" + width + "s  %-9s %10s %10s %10s%n";
        out.printf(row, "service", "replicas", "before", "after", "delta");
        for (ServiceCost c : plan.costs()) {
            out.printf(row, c.service(), replicas(c.before()) + " -> " + replicas(c.after()),
                    money(c.beforeCost()), money(c.afterCost()), Plan.signed(c.delta()));
        }
        out.printf(row, "total", "", money(plan.totalBefore()), money(plan.totalAfter()), Plan.signed(plan.totalDelta()));
        out.flush();
    }

    private static int replicas(ServiceResources r) {
        return r == null ? 0 : r.replicas();
    }

    private static String money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
