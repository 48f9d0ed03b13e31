package dev.plumb.analytics.cost;

/**
 * One part of a change in cost between two periods, rounded to the cent so that the parts add
 * up to the change exactly.
 *
 * @param service     the service it belongs to
 * @param driver      {@code replica-hours}, {@code requests}, {@code usage-above-request},
 *                    {@code prices}, {@code storage}, {@code egress}, {@code appeared} or
 *                    {@code disappeared}
 * @param delta       its share of the change
 * @param explanation a sentence a person can read
 */
public record CostDriver(String service, String driver, double delta, String explanation) {
}
