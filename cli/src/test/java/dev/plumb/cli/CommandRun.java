package dev.plumb.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** One run of {@code plumb} with a given environment, its output captured as a user would see it. */
public record CommandRun(int exitCode, String out, String err) {

    public static CommandRun of(Map<String, String> env, String... args) {
        CommandLine cli = PlumbCommand.commandLine(env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }

    /** Standard output with runs of whitespace made one space, so wrapped help text reads as one line. */
    public String outText() {
        return out.replaceAll("\\s+", " ");
    }

    public static CommandRun of(String... args) {
        return of(Map.of(), args);
    }
}
