package dev.plumb.deploy.apply;

import dev.plumb.deploy.audit.AuditLog;
import dev.plumb.deploy.plan.Plan;
import dev.plumb.deploy.render.KubeObject;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * An apply with its audit entry written ahead: a {@code pending} entry before the target is
 * touched, then an entry that {@code completes} it with the outcome.
 *
 * <p>Why not check that the log is writable and append afterwards: the disk can fill, the lock be
 * taken or the process die between the check and the append, and then the cluster has changed with
 * nothing in a log whose purpose is that nothing changes unrecorded. A pending entry forced to disk
 * first makes the attempt part of the chain before any change; a log that cannot take it stops the
 * apply. Entries cannot be edited without breaking the chain, so the outcome is a second entry
 * naming the first, and a pending entry without one marks an interrupted apply.
 */
public final class AuditedApply {

    /**
     * What happened: the pending entry's and the outcome entry's {@code seq} (0 when the outcome
     * could not be written, {@code unrecorded} saying why), and why the apply failed (null when it
     * did not).
     */
    public record Outcome(int pendingSeq, int outcomeSeq, String failure, String unrecorded) {
        public boolean applied() {
            return failure == null;
        }
    }

    private AuditedApply() {
    }

    /**
     * Appends {@code entry} as pending, makes {@code target} hold {@code desired}, and appends the
     * outcome ({@code applied} or {@code failed: MESSAGE}). When the pending entry cannot be
     * written, the log's IllegalStateException or UncheckedIOException is thrown and the target is
     * not touched.
     */
    public static Outcome apply(DeployTarget target, Plan plan, List<KubeObject> desired, AuditLog log,
                                Map<String, Object> entry, Clock clock) {
        int pending = log.begin(entry, clock.instant());
        String failure = null;
        try {
            target.apply(plan, desired);
        } catch (IllegalStateException | UncheckedIOException e) {
            failure = e.getMessage();
        }
        try {
            return new Outcome(pending, log.complete(pending, failure == null ? "applied" : "failed: " + failure,
                    clock.instant()), failure, null);
        } catch (IllegalStateException | UncheckedIOException e) {
            return new Outcome(pending, 0, failure, e.getMessage());
        }
    }
}
