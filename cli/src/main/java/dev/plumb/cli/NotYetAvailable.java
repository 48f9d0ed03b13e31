package dev.plumb.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands of the contract whose engines land in later issues (cost: the cost engine;
 * deploy: the golden-path adapter). They parse their documented arguments, so scripts can be
 * written against them, and exit 2 saying they are not available in this build.
 */
final class NotYetAvailable {

    private NotYetAvailable() {
    }

    /** Prints "plumb &lt;command&gt;: not yet available in this build" and exits 2. */
    abstract static class Pending implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getErr().println(spec.qualifiedName(" ") + ": not yet available in this build");
            return 2;
        }
    }

    /** A command that only groups others: run alone, it is a usage error. */
    abstract static class Group implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Missing subcommand: see " + spec.qualifiedName(" ") + " --help");
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Reports for people: the cost report, printed or posted to chat.",
            subcommands = ReportCost.class)
    static final class Report extends Group {
    }

    @Command(name = "cost", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Top services by cost, the change over the period and its drivers, the costliest per request.",
            footer = {"", "Example:", "  ./plumb report cost --since 7d --webhook https://hooks.slack.com/services/..."})
    static final class ReportCost extends Pending {
        @Option(names = "--since", paramLabel = "DURATION", defaultValue = "7d", description = "The period to report, such as 7d or 24h.")
        String since;

        @Option(names = "--webhook", paramLabel = "URL", description = "Post to this Slack-compatible incoming webhook instead of printing.")
        String webhook;

        @Option(names = "--server", paramLabel = "URL", defaultValue = "http://localhost:4320",
                description = "The Plumb server to ask (env PLUMB_SERVER).")
        String server;
    }

    @Command(name = "cost", mixinStandardHelpOptions = true,
            description = "Move usage and cost data in and out of Plumb.",
            subcommands = {CostImport.class, CostExport.class})
    static final class Cost extends Group {
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Load pod usage from a CSV or Parquet file.")
    static final class CostImport extends Pending {
        @Parameters(paramLabel = "FILE", description = "A .csv or .parquet file of pod usage samples.")
        String file;
    }

    @Command(name = "export", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Write cost rows in the FinOps FOCUS column layout.")
    static final class CostExport extends Pending {
        @Option(names = "--since", paramLabel = "DURATION", defaultValue = "30d", description = "The period to export.")
        String since;

        @Option(names = "--format", paramLabel = "csv|parquet", defaultValue = "csv", description = "The file format.")
        String format;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write.")
        String out;
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = "The golden path: service definition in, compliant Kubernetes objects out.",
            subcommands = {DeployValidate.class, DeployRender.class, DeployPlan.class, DeployApply.class, DeployAudit.class})
    static final class Deploy extends Group {
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a service definition against the schema and the policies; every problem is listed.")
    static final class DeployValidate extends Pending {
        @Parameters(paramLabel = "FILE", description = "The services.yaml to check.")
        String file;
    }

    @Command(name = "render", mixinStandardHelpOptions = true,
            description = "Write the Kubernetes objects for a service definition.")
    static final class DeployRender extends Pending {
        @Parameters(paramLabel = "FILE", description = "The services.yaml to render.")
        String file;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write the objects to.")
        String out;
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Show what would change and its monthly cost.")
    static final class DeployPlan extends Pending {
        @Parameters(paramLabel = "FILE", description = "The services.yaml to plan.")
        String file;
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Apply a service definition and append the change to the audit log.")
    static final class DeployApply extends Pending {
        @Parameters(paramLabel = "FILE", description = "The services.yaml to apply.")
        String file;

        @Option(names = "--dry-run", description = "Show what would be applied, change nothing.")
        boolean dryRun;

        @Option(names = "--audit-log", paramLabel = "PATH", description = "The audit log to append to.")
        String auditLog;
    }

    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = "Work with the tamper-evident audit log.",
            subcommands = DeployAuditVerify.class)
    static final class DeployAudit extends Group {
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the audit log's chain; a non-zero exit names the first bad entry.")
    static final class DeployAuditVerify extends Pending {
        @Option(names = "--audit-log", paramLabel = "PATH", description = "The audit log to check.")
        String auditLog;
    }
}
