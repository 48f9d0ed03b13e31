package dev.plumb.analytics.cost;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Ranks a service among its peers: the other services of its team, else those of its size
 * class (average CPU billed: under 0.5 cores, under 2, under 8, 8 or more), else all services.
 * Cost per hour is over the hours the service ran, so that a service that started mid-window is
 * not made to look cheap.
 */
final class PeerBenchmark {
    private static final double[] SIZE_LIMITS = {0.5, 2, 8};
    private static final String[] SIZE_NAMES = {"under 0.5 cores", "0.5 to 2 cores", "2 to 8 cores", "8 cores or more"};

    private final Map<String, ServicePeriod> periods;
    private final Map<String, Long> requests;

    PeerBenchmark(Map<String, ServicePeriod> periods, Map<String, Long> requests) {
        this.periods = periods;
        this.requests = requests;
    }

    CostBenchmark of(String service) {
        ServicePeriod self = periods.get(service);
        if (self == null) {
            throw new NoSuchElementException("service '" + service + "' has no cost in this window");
        }
        List<ServicePeriod> group = new ArrayList<>();
        String peerGroup;
        periods.values().stream().filter(p -> p.team().equals(self.team())).forEach(group::add);
        if (group.size() > 1) {
            peerGroup = "team " + self.team();
        } else {
            group.clear();
            periods.values().stream().filter(p -> sizeClass(p) == sizeClass(self)).forEach(group::add);
            peerGroup = "size " + SIZE_NAMES[sizeClass(self)];
            if (group.size() < 2) {
                group = new ArrayList<>(periods.values());
                peerGroup = "all services";
            }
        }
        List<CostBenchmark.Peer> figures = group.stream().map(this::figures).toList();
        CostBenchmark.Peer mine = figures(self);
        boolean byRequests = mine.costPer1kRequests() != null;
        Comparator<CostBenchmark.Peer> order = byRequests
                ? Comparator.comparing(CostBenchmark.Peer::costPer1kRequests, Comparator.nullsLast(Comparator.naturalOrder()))
                : Comparator.comparingDouble(CostBenchmark.Peer::costPerHour);
        List<CostBenchmark.Peer> ranked = new ArrayList<>(figures);
        ranked.sort(order.thenComparing(CostBenchmark.Peer::service));
        int rank = 1 + ranked.stream().map(CostBenchmark.Peer::service).toList().indexOf(service);
        List<Double> perRequest = figures.stream().map(CostBenchmark.Peer::costPer1kRequests)
                .filter(v -> v != null).toList();
        return new CostBenchmark(service, self.team(), peerGroup, mine.costPerHour(), mine.costPer1kRequests(),
                mine.requests(), rank, ranked.size(),
                median(figures.stream().map(CostBenchmark.Peer::costPerHour).toList()),
                perRequest.isEmpty() ? null : median(perRequest),
                ranked.stream().filter(p -> !p.service().equals(service)).toList());
    }

    private CostBenchmark.Peer figures(ServicePeriod p) {
        long n = requests.getOrDefault(p.service(), 0L);
        double perHour = p.hoursSeen() > 0 ? p.total() / p.hoursSeen() : 0;
        return new CostBenchmark.Peer(p.service(), perHour, n > 0 ? p.total() / n * 1000 : null, n);
    }

    private static int sizeClass(ServicePeriod p) {
        double cores = p.hoursSeen() > 0 ? p.cpuBilled() / p.hoursSeen() : 0;
        int i = 0;
        while (i < SIZE_LIMITS.length && cores >= SIZE_LIMITS[i]) {
            i++;
        }
        return i;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return 0;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
