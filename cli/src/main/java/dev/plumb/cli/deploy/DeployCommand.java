package dev.plumb.cli.deploy;

import dev.plumb.deploy.audit.AuditLog;
import dev.plumb.deploy.audit.AuditVerification;
import dev.plumb.deploy.render.KubeObject;
import dev.plumb.deploy.render.KubernetesRenderer;
import dev.plumb.deploy.render.ManifestFiles;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code plumb deploy}: the golden path from a services.yaml to compliant Kubernetes objects,
 * their cost, an apply and an audit record. docs/deploy.md describes the file and the objects.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "The golden path: service definition in, compliant Kubernetes objects out.",
        subcommands = {DeployCommand.Validate.class, DeployCommand.Render.class, PlanCommand.class, ApplyCommand.class,
                DeployCommand.Audit.class},
        footer = {"", "Examples:",
                "  ./plumb deploy validate services.yaml",
                "  ./plumb deploy render services.yaml --out k8s/",
                "  ./plumb deploy plan services.yaml",
                "  ./plumb deploy apply services.yaml --audit-log audit.jsonl",
                "  ./plumb deploy audit verify --audit-log audit.jsonl",
                "", "The file's fields, policies and generated objects: docs/deploy.md."})
public final class DeployCommand implements Runnable {

    /** Where apply appends and verify reads when neither --audit-log nor PLUMB_AUDIT_LOG says. */
    static final String DEFAULT_AUDIT_LOG = "plumb-audit.jsonl";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: see plumb deploy --help");
    }

    /** The audit log of {@code --audit-log}, else {@code PLUMB_AUDIT_LOG}, keyed by {@code PLUMB_AUDIT_KEY} when set. */
    static AuditLog auditLog(Path option, Map<String, String> env) {
        Path file = option != null ? option : Path.of(env.getOrDefault("PLUMB_AUDIT_LOG", DEFAULT_AUDIT_LOG));
        String key = env.get("PLUMB_AUDIT_KEY");
        return new AuditLog(file, key == null ? null : key.getBytes(StandardCharsets.UTF_8));
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
            description = {"Check a service definition against the schema and the policies (secrets only by reference,",
                    "backups and encryption at rest for stateful services, isolation between zones, pinned images in",
                    "prod). Every problem is listed as FILE:LINE:COL service.field: problem; fix: what to do."},
            footer = {"", "Example:", "  ./plumb deploy validate services.yaml", "",
                    "Exit codes: 0 valid (warnings may be printed), 1 schema or policy errors, 2 bad command line."})
    static final class Validate implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The services.yaml to check.")
        Path file;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            CheckedDefinition d = CheckedDefinition.load(file, spec);
            if (!d.report(spec.commandLine().getErr(), "")) {
                return 1;
            }
            spec.commandLine().getOut().println(file.getFileName() + ": valid, " + d.file().services().size()
                    + (d.file().services().size() == 1 ? " service" : " services")
                    + (d.warnings() == 0 ? "" : ", " + d.warnings() + (d.warnings() == 1 ? " warning" : " warnings")));
            return 0;
        }
    }

    @Command(name = "render", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
            description = {"Write the Kubernetes objects for a valid service definition, one YAML file per object named",
                    "NAMESPACE.KIND.NAME.yaml: Deployment (StatefulSet when stateful) with the Plumb agent injected,",
                    "Service, HorizontalPodAutoscaler, Ingress, NetworkPolicy (default deny + declared callers),",
                    "ServiceAccount, Role and RoleBinding, PodMonitor, PrometheusRule alerts, Velero backup Schedule.",
                    "The output is the same bytes for the same file. Files already in DIR are overwritten, never deleted."},
            footer = {"", "Examples:", "  ./plumb deploy render services.yaml --out k8s/",
                    "  ./plumb deploy render services.yaml --out k8s/ && kubectl apply -f k8s/", "",
                    "Exit codes: 0 written, 1 schema or policy errors (nothing written), 2 bad command line."})
    static final class Render implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The services.yaml to render.")
        Path file;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write the objects to (created if missing).")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            CheckedDefinition d = CheckedDefinition.load(file, spec);
            if (!d.report(spec.commandLine().getErr(), "; nothing written")) {
                return 1;
            }
            List<KubeObject> objects = KubernetesRenderer.render(d.file());
            try {
                ManifestFiles.write(out, objects);
            } catch (UncheckedIOException e) {
                spec.commandLine().getErr().println("plumb deploy render: " + e.getMessage());
                return 1;
            }
            spec.commandLine().getOut().println("wrote " + objects.size() + " objects for " + d.file().services().size()
                    + (d.file().services().size() == 1 ? " service" : " services") + " to " + out);
            return 0;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = "Work with the tamper-evident audit log that apply appends to.",
            subcommands = Verify.class)
    static final class Audit implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: see plumb deploy audit --help");
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
            description = {"Recompute the audit log's chain: each entry's hash over its own line, and its link (prev) to",
                    "the entry before. An edited, deleted, inserted or reordered entry breaks it. Entries written with",
                    "PLUMB_AUDIT_KEY set are HMAC-signed and need the same key to verify. Pending entries of applies",
                    "that nothing completes (interrupted, or their outcome could not be written) are listed as unfinished."},
            footer = {"", "Examples:", "  ./plumb deploy audit verify --audit-log audit.jsonl",
                    "  PLUMB_AUDIT_KEY=... ./plumb deploy audit verify", "",
                    "Exit codes: 0 the chain is intact, 1 a bad entry (its line is named) or no log, 2 bad command line."})
    public static final class Verify implements Callable<Integer> {
        @Option(names = "--audit-log", paramLabel = "PATH",
                description = "The audit log to check (env PLUMB_AUDIT_LOG). Default: " + DEFAULT_AUDIT_LOG + ".")
        Path auditLog;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        private final Map<String, String> env;

        /** Made by PlumbCommand's factory with the environment the command runs in. */
        public Verify(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            AuditLog log = auditLog(auditLog, env);
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isRegularFile(log.file())) {
                err.println("plumb deploy audit verify: no audit log at " + log.file() + "; give its path with --audit-log");
                return 1;
            }
            AuditVerification v = log.verify();
            if (!v.ok()) {
                err.println(log.file() + ":" + v.badLine() + ": bad entry: " + v.problem());
                err.println("the chain is intact up to entry " + v.goodEntries() + "; entry " + (v.goodEntries() + 1)
                        + " on line " + v.badLine() + " and everything after it cannot be trusted");
                return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(log.file() + ": " + v.goodEntries() + (v.goodEntries() == 1 ? " entry" : " entries")
                    + ", chain intact" + (v.lastHash() == null ? "" : "; last hash " + v.lastHash()));
            if (!v.unfinished().isEmpty()) {
                out.println("unfinished applies (pending entries that nothing completes; check their targets): entries "
                        + v.unfinished().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")));
            }
            return 0;
        }
    }
}
