package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlumbCommandTest {

    @Test
    void helpListsEveryCommandOfTheContractWithExamples() {
        CommandRun run = CommandRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outText()).contains("Usage: plumb", "serve", "demo", "query", "report", "cost", "deploy",
                "Examples:", "./plumb demo", "./plumb query logs 'service:payment AND status:error'");
    }

    @Test
    void withoutCommandSaysWhatToTryAndExits2() {
        CommandRun run = CommandRun.of();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing command", "./plumb demo", "plumb --help");
    }

    @Test
    void unknownCommandSuggestsTheNearestAndExits2() {
        CommandRun run = CommandRun.of("serv");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument", "serve");
    }

    @Test
    void versionNamesTheToolFromAnyCommand() {
        assertThat(CommandRun.of("--version").out()).startsWith("plumb ");
        assertThat(CommandRun.of("serve", "--version").out()).startsWith("plumb ");
        assertThat(CommandRun.of("query", "logs", "-V").out()).startsWith("plumb ");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "deploy validate services.yaml",
            "deploy render services.yaml --out k8s",
            "deploy plan services.yaml",
            "deploy apply services.yaml --dry-run",
            "deploy audit verify --audit-log audit.log"})
    void commandsOfLaterIssuesSayNotYetAvailableAndExit2(String commandLine) {
        String[] args = commandLine.split(" ");
        String command = String.join(" ", List.of(args).subList(0, args[0].equals("deploy") && args[1].equals("audit") ? 3 : 2));

        CommandRun run = CommandRun.of(args);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("plumb " + command + ": not yet available in this build" + System.lineSeparator());
    }

    @Test
    void costImportIsWiredToTheCostEngineAndNamesAMissingFile(@TempDir Path dataDir) {
        Path missing = dataDir.resolve("no-such-usage.csv");

        CommandRun run = CommandRun.of("cost", "import", missing.toString(), "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no-such-usage.csv").doesNotContain("not yet available", "Exception");
    }

    @Test
    void groupWithoutSubcommandIsAUsageError() {
        CommandRun run = CommandRun.of("deploy");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("plumb deploy: Missing subcommand", "plumb deploy --help");
    }

    @Test
    void environmentVariableBecomesTheDefaultShownInHelp() {
        CommandRun run = CommandRun.of(Map.of("PLUMB_HTTP_PORT", "9999"), "serve", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outText()).contains("Env PLUMB_HTTP_PORT. Default: 9999.");
    }
}
