package dev.plumb.cli.deploy;

import dev.plumb.deploy.definition.Problem;
import dev.plumb.deploy.definition.ServicesFile;
import dev.plumb.deploy.definition.ServicesFileParser;
import dev.plumb.deploy.policy.Policies;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine;

/**
 * A services.yaml read and checked against the schema and the policies, with every problem
 * sorted by line, and the SHA-256 of the file's bytes for the audit log.
 */
record CheckedDefinition(Path path, ServicesFile file, List<Problem> problems, String sha256) {

    /** Reads and checks {@code path}; a file that cannot be read is a usage error (exit 2). */
    static CheckedDefinition load(Path path, CommandLine.Model.CommandSpec spec) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "FILE: cannot read " + path
                    + (Files.exists(path) ? ": " + e.getMessage() : ": no such file") + "; give the path of a services.yaml");
        }
        var parsed = ServicesFileParser.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8),
                path.getFileName().toString());
        List<Problem> problems = new ArrayList<>(parsed.problems());
        if (parsed.file() != null) {
            problems.addAll(Policies.check(parsed.file()));
        }
        problems.sort(Problem.IN_FILE_ORDER);
        return new CheckedDefinition(path, parsed.file(), problems, sha256(bytes));
    }

    long errors() {
        return problems.stream().filter(Problem::isError).count();
    }

    long warnings() {
        return problems.size() - errors();
    }

    boolean valid() {
        return file != null && errors() == 0;
    }

    /**
     * Prints every problem, one a line, as {@code services.yaml:LINE:COL service.field: problem; fix: ...};
     * for an invalid file then the tally and {@code consequence}. Answers whether the file is valid.
     */
    boolean report(PrintWriter err, String consequence) {
        String name = path.getFileName().toString();
        problems.forEach(p -> err.println(p.format(name)));
        if (!valid()) {
            err.println(tally() + consequence);
        }
        err.flush();
        return valid();
    }

    /** {@code services.yaml: 3 errors, 1 warning}. */
    String tally() {
        return path.getFileName() + ": " + errors() + (errors() == 1 ? " error, " : " errors, ")
                + warnings() + (warnings() == 1 ? " warning" : " warnings");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
