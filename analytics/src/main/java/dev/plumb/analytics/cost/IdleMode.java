package dev.plumb.analytics.cost;

/**
 * How a cost series shows idle cost (node capacity paid for and not allocated to any pod): not
 * at all, as its own {@link #IDLE_GROUP} row per bucket, or spread over the groups of the bucket
 * in proportion to their cost of each resource (idle CPU by CPU cost, idle memory by memory
 * cost); a resource no group used in a bucket keeps its idle on the {@link #IDLE_GROUP} row.
 * Buckets without node capacity get no idle either way.
 */
public enum IdleMode {
    HIDDEN, OWN_LINE, SHARED;

    /** The group name of the idle row. */
    public static final String IDLE_GROUP = "__idle__";

    /** The {@link CostRow#source()} of the idle row: node capacity, not any pod's usage. */
    public static final String IDLE_SOURCE = "capacity";
}
