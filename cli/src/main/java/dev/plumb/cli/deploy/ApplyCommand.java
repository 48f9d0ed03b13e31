package dev.plumb.cli.deploy;

import dev.plumb.deploy.apply.AuditedApply;
import dev.plumb.deploy.apply.CostDeclarations;
import dev.plumb.deploy.apply.DeployTarget;
import dev.plumb.deploy.audit.AuditLog;
import dev.plumb.deploy.plan.ObjectChange.Action;
import dev.plumb.deploy.plan.Plan;
import dev.plumb.deploy.plan.Planner;
import dev.plumb.deploy.plan.ServiceResources;
import dev.plumb.deploy.render.KubeObject;
import dev.plumb.deploy.render.KubernetesRenderer;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code plumb deploy apply FILE}: plan, record the attempt in the audit log (a pending entry forced
 * to disk before the target is touched, then its outcome; see AuditedApply), apply to the state
 * directory or a Kubernetes API, and tell the collector the declared resources.
 */
@Command(name = "apply", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Apply a service definition: print the plan (as plumb deploy plan), apply it to a Kubernetes API",
                "(--kube-api, server-side apply) or else record it in the state directory, and append an entry to the",
                "audit log: who (--actor, else $USER), when, the file's SHA-256, the plan summary and the result.",
                "An apply is recorded as a pending entry before the target is touched (a log that cannot take it stops",
                "the apply), then an entry with its outcome. A refused definition and a dry run are recorded too. With --server, the declared",
                "resources are posted to the collector (POST /api/v1/cost/declarations) so cost shows before usage",
                "does; a failure to post is a warning."},
        footer = {"", "Examples:", "  ./plumb deploy apply services.yaml --dry-run",
                "  ./plumb deploy apply services.yaml --audit-log audit.jsonl --server http://plumb:4320",
                "  PLUMB_KUBE_TOKEN=$(cat token) ./plumb deploy apply services.yaml --kube-api https://k8s:6443", "",
                "Variables: PLUMB_AUDIT_KEY signs entries with HMAC-SHA256, PLUMB_KUBE_TOKEN is the API bearer token.",
                "Exit codes: 0 applied (or dry run), 1 schema or policy errors or the apply failed, 2 bad command line."})
public final class ApplyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The services.yaml to apply.")
    Path file;

    @Option(names = "--dry-run", description = "Show the plan and record a dry-run entry; change nothing.")
    boolean dryRun;

    @Option(names = "--audit-log", paramLabel = "PATH",
            description = "The audit log to append to (env PLUMB_AUDIT_LOG). Default: " + DeployCommand.DEFAULT_AUDIT_LOG + ".")
    Path auditLog;

    @CommandLine.Mixin
    TargetOptions target = new TargetOptions();

    @Option(names = "--server", paramLabel = "URL",
            description = "A Plumb server to post the declared resources to (env PLUMB_SERVER). Default: none.")
    URI server;

    @Option(names = "--actor", paramLabel = "NAME", description = "Who applies, for the audit log. Default: $USER.")
    String actor;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> env;

    /** Made by PlumbCommand's factory with the environment the command runs in. */
    public ApplyCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CheckedDefinition d = CheckedDefinition.load(file, spec);
        AuditLog log = DeployCommand.auditLog(auditLog, env);
        Instant now = Instant.now();
        if (!d.report(err, "; nothing applied")) {
            record(log, entryFields(d, "none", null), "refused: " + d.errors() + " schema or policy errors", now, err);
            return 1;
        }
        DeployTarget t;
        Plan plan;
        List<KubeObject> desired = KubernetesRenderer.render(d.file());
        try {
            t = target.target(env);
            plan = Planner.plan(desired, t.current(desired), t.live(), target.cost(now));
        } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
            err.println("plumb deploy apply: " + e.getMessage());
            record(log, entryFields(d, target.kubeApi == null ? "state" : String.valueOf(target.kubeApi), null),
                    "failed: " + e.getMessage(), now, err);
            return 1;
        }
        PlanReport.print(plan, t.describe(), out);
        out.println();
        if (dryRun) {
            Integer seq = record(log, entryFields(d, t.describe(), plan), "dry-run", now, err);
            out.println("dry run: nothing applied" + (seq == null ? "" : "; recorded in " + log.file()));
            return seq == null ? 1 : 0;
        }
        AuditedApply.Outcome outcome;
        try {
            outcome = AuditedApply.apply(t, plan, desired, log, entryFields(d, t.describe(), plan), Clock.systemUTC());
        } catch (IllegalStateException | UncheckedIOException e) {
            err.println("plumb deploy apply: cannot record the audit entry (" + e.getMessage() + "); nothing was applied");
            return 1;
        }
        if (outcome.unrecorded() != null) {
            err.println("plumb deploy apply: cannot record the outcome of pending audit entry " + outcome.pendingSeq()
                    + " (" + outcome.unrecorded() + "); plumb deploy audit verify lists it as unfinished");
        }
        if (!outcome.applied()) {
            err.println("plumb deploy apply: " + outcome.failure());
            return 1;
        }
        out.println("applied to " + t.describe() + ": " + plan.summary());
        if (outcome.unrecorded() == null) {
            out.println("audit entries " + outcome.pendingSeq() + " (pending) and " + outcome.outcomeSeq()
                    + " (applied) appended to " + log.file());
        }
        if (server != null) {
            String failure = CostDeclarations.post(server, ServiceResources.of(desired), now);
            if (failure == null) {
                int n = ServiceResources.of(desired).size();
                out.println("declared resources of " + n + (n == 1 ? " service" : " services") + " posted to " + server);
            } else {
                err.println("warning: the collector did not take the declared resources (cost shows once usage arrives): " + failure);
            }
        }
        out.flush();
        return outcome.unrecorded() == null ? 0 : 1;
    }

    /** The audit entry's fields but {@code result}: who, which file, where, and the plan's summary and changes. */
    private Map<String, Object> entryFields(CheckedDefinition d, String where, Plan plan) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("actor", actor != null ? actor : env.getOrDefault("USER", "unknown"));
        entry.put("file", d.path().toString());
        entry.put("fileSha256", d.sha256());
        entry.put("target", where);
        if (plan != null) {
            Map<String, Object> summary = new LinkedHashMap<>();
            for (Action a : Action.values()) {
                summary.put(a.name().toLowerCase(java.util.Locale.ROOT), plan.count(a));
            }
            summary.put("monthlyCostBefore", PlanReport.cents(plan.totalBefore()));
            summary.put("monthlyCostAfter", PlanReport.cents(plan.totalAfter()));
            summary.put("monthlyCostDelta", PlanReport.cents(plan.totalDelta()));
            summary.put("currency", plan.currency());
            entry.put("plan", summary);
            entry.put("changes", plan.changes().stream().filter(c -> c.action() != Action.UNCHANGED)
                    .map(c -> c.action().sign() + " " + c.id()).toList());
        }
        return entry;
    }

    /** Appends {@code fields} with {@code result}; answers its sequence number, or null (after saying why) when the log cannot be written. */
    private static Integer record(AuditLog log, Map<String, Object> fields, String result, Instant now, PrintWriter err) {
        Map<String, Object> entry = new LinkedHashMap<>(fields);
        entry.put("result", result);
        try {
            return log.append(entry, now);
        } catch (IllegalStateException | UncheckedIOException e) {
            err.println("plumb deploy apply: cannot record the audit entry: " + e.getMessage());
            return null;
        }
    }
}
