package dev.plumb.cli;

import dev.plumb.cli.cost.CostCommand;
import dev.plumb.cli.cost.ReportCommand;
import dev.plumb.cli.demo.DemoCommand;
import dev.plumb.cli.deploy.DeployCommand;
import dev.plumb.cli.query.QueryCommand;
import dev.plumb.cli.serve.ServeCommand;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code plumb}: the one command line of Plumb. {@code ./plumb} at the repository root runs it. */
@Command(name = "plumb",
        mixinStandardHelpOptions = true,
        versionProvider = PlumbVersion.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Observability and cost analytics for JVM services.",
        description = {
                "",
                "Plumb collects traces, metrics and logs over OTLP from services that run with its @Monitor "
                        + "agent, stores them in an embedded DuckDB, and answers what is slow, what fails and what it "
                        + "costs: on dashboards, over an HTTP API, and from this command.",
                ""},
        commandListHeading = "%nCommands:%n",
        subcommands = {
                ServeCommand.class,
                DemoCommand.class,
                QueryCommand.class,
                ReportCommand.class,
                CostCommand.class,
                DeployCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  ./plumb demo                # collector, dashboards and a live demo shop",
                "  ./plumb serve               # just the collector, API and dashboards",
                "  ./plumb query logs 'service:payment AND status:error'",
                "  ./plumb report cost --since 7d   # cost per service, the change, its drivers",
                "  ./plumb cost import usage.csv    # pod usage from CSV or Parquet",
                "  ./plumb deploy plan services.yaml   # what a deploy would change, and its monthly cost",
                "  ./plumb serve --help        # every flag, its default and its variable",
                "",
                "Exit codes: 0 done, 1 failed (the message says why), 2 bad command line.",
                "More: README.md and docs/architecture.md in the repository."})
public final class PlumbCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try ./plumb demo or ./plumb --help");
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /**
     * The configured command line: defaults read from {@code env}, failures printed as one line
     * (exit 1) instead of a stack trace. Tests pass their own environment and writers.
     */
    public static CommandLine commandLine(Map<String, String> env) {
        CommandLine cli = new CommandLine(new PlumbCommand(), new EnvironmentFactory(env));
        cli.setDefaultValueProvider(new EnvironmentDefaults(env));
        shareVersion(cli, new PlumbVersion());
        cli.setParameterExceptionHandler((exception, args) -> {
            CommandLine commandLine = exception.getCommandLine();
            PrintWriter err = commandLine.getErr();
            err.println(commandLine.getCommandSpec().qualifiedName(" ") + ": " + exception.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
            err.println("Try '" + commandLine.getCommandSpec().qualifiedName(" ") + " --help' for the flags and examples.");
            err.flush();
            return commandLine.getCommandSpec().exitCodeOnInvalidInput();
        });
        cli.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println(commandLine.getCommandSpec().qualifiedName(" ") + ": " + describe(exception));
            err.flush();
            return 1;
        });
        return cli;
    }

    /** So that {@code plumb serve --version} answers like {@code plumb --version}. */
    private static void shareVersion(CommandLine command, CommandLine.IVersionProvider version) {
        command.getCommandSpec().versionProvider(version);
        command.getSubcommands().values().forEach(sub -> shareVersion(sub, version));
    }

    /** Creates commands that read the environment with the environment given, so tests can set it. */
    private record EnvironmentFactory(Map<String, String> env) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.getConstructor(Map.class).newInstance(env);
            } catch (NoSuchMethodException noEnvironmentConstructor) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }

    private static String describe(Exception exception) {
        String message = exception.getMessage();
        return message == null || message.isBlank() ? exception.getClass().getSimpleName() : message;
    }
}
