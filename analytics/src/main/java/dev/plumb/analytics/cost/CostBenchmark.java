package dev.plumb.analytics.cost;

import java.util.List;

/**
 * A service's cost beside its peers (same team, else same size class): cost per hour and per
 * 1,000 requests (absent without traffic), its rank among {@code of} services (1 is the
 * cheapest, by cost per 1,000 requests when it has traffic, else by cost per hour), and the
 * group's medians.
 */
public record CostBenchmark(String service, String team, String peerGroup, double costPerHour,
                            Double costPer1kRequests, long requests, int rank, int of, double medianCostPerHour,
                            Double medianCostPer1kRequests, List<Peer> peers) {
    public CostBenchmark {
        peers = List.copyOf(peers);
    }

    /** One peer's figures. */
    public record Peer(String service, double costPerHour, Double costPer1kRequests, long requests) {
    }
}
