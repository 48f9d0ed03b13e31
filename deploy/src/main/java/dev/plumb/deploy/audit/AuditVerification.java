package dev.plumb.deploy.audit;

import java.util.List;

/**
 * The outcome of checking an audit log: how many entries are good, and for a broken chain the
 * line of the first bad entry and what is wrong with it. {@code unfinished} are the {@code seq}s of
 * pending entries that no entry completes: applies that were interrupted (the process died, or
 * their outcome could not be written), whose target needs a look.
 */
public record AuditVerification(int goodEntries, int badLine, String problem, String lastHash, List<Integer> unfinished) {

    public AuditVerification {
        unfinished = List.copyOf(unfinished);
    }

    static AuditVerification good(int entries, String lastHash, List<Integer> unfinished) {
        return new AuditVerification(entries, 0, null, lastHash, unfinished);
    }

    static AuditVerification bad(int goodEntries, int line, String problem) {
        return new AuditVerification(goodEntries, line, problem, null, List.of());
    }

    public boolean ok() {
        return problem == null;
    }
}
