package dev.plumb.cli.query;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code plumb query}: searches a running server from the terminal. */
@Command(name = "query",
        mixinStandardHelpOptions = true,
        header = "Search a running Plumb server from the terminal.",
        subcommands = LogsCommand.class)
public final class QueryCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: try plumb query logs 'status:error'");
    }
}
