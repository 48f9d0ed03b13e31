package dev.plumb.cli.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.cli.api.PlumbApi;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code plumb query logs QUERY}: the log search of {@code GET /api/v1/logs}, as a table or JSON. */
@Command(name = "logs",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Search log records from the terminal.",
        description = {
                "",
                "Asks a running server (GET /api/v1/logs) for the records that match QUERY, newest first, and "
                        + "prints them as a table (time, service, severity, trace id, body) or as the server's JSON.",
                "",
                "Query syntax: field:value, field:\"quoted phrase\", field:prefix*, free-text words that match "
                        + "the body, AND / OR / NOT / parentheses, and comparisons such as duration>500ms or "
                        + "http.status_code>=500. Fields: service, severity (alias status, so status:error means "
                        + "ERROR or worse), trace_id, and any attribute name.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  ./plumb query logs 'service:payment AND status:error'",
                "  ./plumb query logs 'status:error' --from now-15m --limit 20",
                "  ./plumb query logs 'trace_id:4bf92f3577b34da6a3ce929d0e0e4736' --json",
                "",
                "Exit codes: 0 printed (also when nothing matched), 1 the server refused the",
                "query or could not be reached, 2 bad command line."})
public final class LogsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "QUERY", description = "The log query; quote it for the shell.")
    String query;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "http://localhost:4320",
            description = {"The Plumb server to ask. Env PLUMB_SERVER.", "Default: ${DEFAULT-VALUE}"})
    String server;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "At most this many records, 1 to 10000. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--from", paramLabel = "TIME",
            description = "Start of the window: RFC 3339, epoch milliseconds or now-1h style. Default: an hour ago.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End of the window, same forms as --from. Default: now.")
    String to;

    @Option(names = "--json", description = "Print the server's JSON answer instead of a table.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (limit < 1 || limit > 10_000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be between 1 and 10000, got " + limit);
        }
        PlumbApi api = new PlumbApi(serverUri());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("q", query);
        params.put("limit", String.valueOf(limit));
        params.put("from", from);
        params.put("to", to);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            JsonNode answer = api.get("logs", params);
            if (json) {
                out.println(answer.toPrettyString());
            } else {
                out.print(LogTable.render(answer.path("logs")));
            }
            out.flush();
            return 0;
        } catch (PlumbApi.ApiException e) {
            err.println("plumb query logs: " + e.getMessage() + (e.field() == null ? "" : " (" + e.field() + ")"));
            if (e.hint() != null) {
                err.println("hint: " + e.hint());
            }
            return 1;
        } catch (IOException e) {
            err.println("plumb query logs: " + e.getMessage());
            return 1;
        }
    }

    private URI serverUri() {
        try {
            URI uri = new URI(server);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new URISyntaxException(server, "expected http://HOST:PORT");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--server must be a URL such as http://localhost:4320, got '" + server + "'");
        }
    }
}
