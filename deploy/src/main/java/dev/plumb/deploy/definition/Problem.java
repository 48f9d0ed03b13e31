package dev.plumb.deploy.definition;

import java.util.Comparator;
import java.util.Objects;

/**
 * One thing wrong with a service definition: where, which field ({@code payment-service.env[0].value}),
 * what is wrong and how to fix it. Errors stop validate, plan and apply; warnings are printed only.
 */
public record Problem(SourceMark mark, String field, String message, String fix, Severity severity) {

    /** By line, then column: the order a person reads the file in. */
    public static final Comparator<Problem> IN_FILE_ORDER =
            Comparator.comparingInt((Problem p) -> p.mark().line()).thenComparingInt(p -> p.mark().column());

    /** Whether a problem stops the command. */
    public enum Severity { ERROR, WARNING }

    public Problem {
        Objects.requireNonNull(mark, "mark");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
        Objects.requireNonNull(severity, "severity");
    }

    /** An error at {@code mark}. */
    public static Problem error(SourceMark mark, String field, String message, String fix) {
        return new Problem(mark, field, message, fix, Severity.ERROR);
    }

    /** A warning at {@code mark}. */
    public static Problem warning(SourceMark mark, String field, String message, String fix) {
        return new Problem(mark, field, message, fix, Severity.WARNING);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code services.yaml:12:5 payment-service.image: problem; fix: ...}, warnings marked as such. */
    public String format(String fileName) {
        return fileName + ":" + mark.line() + ":" + mark.column() + " " + field + ": "
                + (isError() ? "" : "warning: ") + message + "; fix: " + fix;
    }
}
