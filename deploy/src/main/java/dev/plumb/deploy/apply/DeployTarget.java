package dev.plumb.deploy.apply;

import dev.plumb.deploy.plan.Plan;
import dev.plumb.deploy.render.KubeObject;
import java.util.List;

/**
 * Where objects are deployed: a state directory that records the last apply, or a Kubernetes
 * API server. Plan reads the current objects from it; apply makes it hold the desired ones.
 */
public interface DeployTarget {

    /** The deployed objects that plan compares {@code desired} with, including those that are to go. */
    List<KubeObject> current(List<KubeObject> desired);

    /** Whether {@link #current} answers live API objects (with server-set fields) rather than recorded ones. */
    boolean live();

    /** Makes the target hold {@code desired}; a failure is an IllegalStateException naming the object. */
    void apply(Plan plan, List<KubeObject> desired);

    /** {@code state directory plumb-state} or {@code Kubernetes API https://...}, for messages and the audit log. */
    String describe();
}
