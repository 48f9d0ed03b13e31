package dev.plumb.cli.deploy;

import dev.plumb.deploy.plan.FieldChange;
import dev.plumb.deploy.plan.ObjectChange;
import dev.plumb.deploy.plan.ObjectChange.Action;
import dev.plumb.deploy.plan.Plan;
import dev.plumb.deploy.plan.ServiceCost;
import dev.plumb.deploy.plan.ServiceResources;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /**
     * The plan as JSON for scripts: {@code against}, {@code summary} (counts per action),
     * {@code changes} (each {@code action}, {@code id}, {@code kind}, {@code namespace}, {@code name},
     * {@code fields}: {@code path}, {@code before}, {@code after}; unchanged objects left out) and
     * {@code cost} ({@code currency}, {@code monthHours}, {@code services}: {@code service},
     * {@code replicasBefore}, {@code replicasAfter}, {@code before}, {@code after}, {@code delta};
     * and the totals), money rounded to the cent.
     */
    static String json(Plan plan, String against) {
        Map<String, Object> summary = new LinkedHashMap<>();
        for (Action a : Action.values()) {
            summary.put(a.name().toLowerCase(Locale.ROOT), plan.count(a));
        }
        List<Map<String, Object>> changes = plan.changes().stream().filter(c -> c.action() != Action.UNCHANGED).map(c -> {
            String[] id = c.id().split("/", 3);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("action", c.action().name().toLowerCase(Locale.ROOT));
            m.put("id", c.id());
            m.put("kind", id[0]);
            m.put("namespace", id[1]);
            m.put("name", id[2]);
            m.put("fields", c.fields().stream().map(f -> {
                Map<String, Object> field = new LinkedHashMap<>();
                field.put("path", f.path());
                field.put("before", f.before());
                field.put("after", f.after());
                return field;
            }).toList());
            return m;
        }).toList();
        List<Map<String, Object>> services = plan.costs().stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("service", c.service());
            m.put("replicasBefore", replicas(c.before()));
            m.put("replicasAfter", replicas(c.after()));
            m.put("before", cents(c.beforeCost()));
            m.put("after", cents(c.afterCost()));
            m.put("delta", cents(c.delta()));
            return m;
        }).toList();
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("currency", plan.currency());
        cost.put("monthHours", plan.monthHours());
        cost.put("services", services);
        cost.put("totalBefore", cents(plan.totalBefore()));
        cost.put("totalAfter", cents(plan.totalAfter()));
        cost.put("totalDelta", cents(plan.totalDelta()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("against", against);
        out.put("summary", summary);
        out.put("changes", changes);
        out.put("cost", cost);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the plan as JSON: " + e.getMessage(), e);
        }
    }

    /** A money amount rounded to the cent, as plan and the audit log show it. */
    static BigDecimal cents(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP);
    }

    private static int replicas(ServiceResources r) {
        return r == null ? 0 : r.replicas();
    }

    private static String money(BigDecimal amount) {
        return cents(amount).toPlainString();
    }
}
