package dev.plumb.analytics.cost;

/**
 * Who a pod's cost belongs to, as SQL expressions shared by every usage source. Service:
 * {@code service.name}, else the owning deployment or statefulset, else the pod name without
 * the hashes Kubernetes appends. Team: the {@code team} attribute, else the pricing file's
 * mapping of the namespace, else the namespace itself.
 */
final class Attribution {
    /** Kubernetes' suffix alphabet (no vowels, no 0, 1, 3), so real words are not mistaken for hashes. */
    private static final String HASH = "[bcdfghjklmnpqrstvwxz2456789]";
    private static final String DEPLOYMENT_SUFFIX = "(-" + HASH + "{6,10})?-" + HASH + "{5}$";
    private static final String ORDINAL_SUFFIX = "-[0-9]+$";

    private Attribution() {
    }

    /** The service: the first non-blank of the given expressions, else the pod's owner name. */
    static String service(String pod, String... preferred) {
        StringBuilder sql = new StringBuilder("coalesce(");
        for (String p : preferred) {
            sql.append("nullif(trim(").append(p).append("), ''), ");
        }
        return sql.append(podOwner(pod)).append(")").toString();
    }

    /** The pod name without its ReplicaSet hash and pod suffix, or without its StatefulSet ordinal. */
    static String podOwner(String pod) {
        return "CASE WHEN regexp_matches(" + pod + ", '" + DEPLOYMENT_SUFFIX + "') THEN regexp_replace(" + pod + ", '"
                + DEPLOYMENT_SUFFIX + "', '') ELSE regexp_replace(" + pod + ", '" + ORDINAL_SUFFIX + "', '') END";
    }

    /**
     * The team: the given expression, else the namespace mapping in {@code cost_teams}, else the
     * namespace. Pass qualified column names: unqualified, {@code namespace} would bind to
     * {@code cost_teams}' own column.
     */
    static String team(String team, String namespace) {
        return "coalesce(nullif(trim(" + team + "), ''), (SELECT t.team FROM cost_teams t WHERE t.namespace = "
                + namespace + "), " + namespace + ")";
    }
}
