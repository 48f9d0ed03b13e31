package dev.plumb.deploy.plan;

import dev.plumb.deploy.plan.ObjectChange.Action;
import dev.plumb.deploy.render.KubeObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Compares the objects a definition renders with those deployed, and prices both sides. */
public final class Planner {

    private Planner() {
    }

    /**
     * The plan from {@code current} to {@code desired}. {@code liveCurrent} says the current
     * objects come from a Kubernetes API, so only the fields that plumb sets are compared.
     */
    public static Plan plan(List<KubeObject> desired, List<KubeObject> current, boolean liveCurrent, MonthlyCost cost) {
        Map<String, KubeObject> now = new LinkedHashMap<>();
        current.forEach(o -> now.put(o.id(), o));
        List<ObjectChange> changes = new ArrayList<>();
        for (KubeObject d : desired) {
            KubeObject c = now.remove(d.id());
            if (c == null) {
                changes.add(new ObjectChange(Action.CREATE, d.id(), List.of(), d, null));
            } else {
                List<FieldChange> fields = ObjectDiff.between(c.body(), d.body(), liveCurrent);
                changes.add(new ObjectChange(fields.isEmpty() ? Action.UNCHANGED : Action.UPDATE, d.id(), fields, d, c));
            }
        }
        now.values().forEach(c -> changes.add(new ObjectChange(Action.DELETE, c.id(), List.of(), null, c)));
        return new Plan(changes, costs(ServiceResources.of(current), ServiceResources.of(desired), cost),
                cost.currency(), cost.monthHours());
    }

    private static List<ServiceCost> costs(List<ServiceResources> before, List<ServiceResources> after, MonthlyCost cost) {
        Map<String, ServiceResources> old = new LinkedHashMap<>();
        before.forEach(r -> old.put(r.key(), r));
        List<ServiceCost> out = new ArrayList<>();
        for (ServiceResources a : after) {
            ServiceResources b = old.remove(a.key());
            out.add(new ServiceCost(a.key(), b, a, cost.of(b), cost.of(a)));
        }
        old.values().forEach(b -> out.add(new ServiceCost(b.key(), b, null, cost.of(b), cost.of(null))));
        return out;
    }
}
