package dev.plumb.deploy.audit;

/**
 * The outcome of checking an audit log: how many entries are good, and for a broken chain the
 * line of the first bad entry and what is wrong with it.
 */
public record AuditVerification(int goodEntries, int badLine, String problem, String lastHash) {

    static AuditVerification good(int entries, String lastHash) {
        return new AuditVerification(entries, 0, null, lastHash);
    }

    static AuditVerification bad(int goodEntries, int line, String problem) {
        return new AuditVerification(goodEntries, line, problem, null);
    }

    public boolean ok() {
        return problem == null;
    }
}
