package dev.plumb.deploy.definition;

/** Where something is written in a services.yaml: 1-based line and column, as editors count. */
public record SourceMark(int line, int column) {

    /** For what has no place in the file (a field that is missing: its parent's place is used instead). */
    public static final SourceMark START = new SourceMark(1, 1);
}
