package dev.plumb.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands of the contract whose engine lands in a later issue (deploy: the golden-path
 * adapter). They parse their documented arguments, so scripts can be written against them,
 * and exit 2 saying they are not available in this build.
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
