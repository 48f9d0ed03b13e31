package dev.plumb.demo.cluster;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The demo cluster over the last two weeks and from now on, as a real cluster's usage would
 * show it, so that the cost views have something to explain from the demo's first minute: a
 * daily pattern (busy afternoons, quiet nights and weekends, in UTC) and three events.
 * <ul>
 * <li>payment, which ran above its CPU request at peak, was scaled from two to three pods
 *     {@link #PAYMENT_SCALED} ago: more replica-hours, less usage above request;</li>
 * <li>inventory's volumes were expanded from 40 to 80 GiB {@link #VOLUMES_EXPANDED} ago;</li>
 * <li>a flash sale {@link #SALE_DAYS_AGO} days ago ran the frontend at twelve times its usual CPU
 *     and traffic from 07:00 to 23:00, a day the anomaly detector flags.</li>
 * </ul>
 * Usage is a function of the pod and the time (noise included), so the history and the live
 * samples after it agree, and a test sees the same numbers each run.
 */
final class ClusterStory {
    static final Duration HISTORY = Duration.ofDays(14);
    static final Duration PAYMENT_SCALED = Duration.ofDays(3);
    static final Duration VOLUMES_EXPANDED = Duration.ofDays(2);
    static final int SALE_DAYS_AGO = 6;
    static final long GIB = 1024L * 1024L * 1024L;
    static final long VOLUME_BEFORE = 40 * GIB;
    static final long VOLUME_AFTER = 80 * GIB;
    private static final long MIB = 1024L * 1024L;
    private static final double SALE_FACTOR = 12;

    /**
     * What a service needs, shared by its running replicas: CPU cores at the daily peak, bytes
     * sent per second at the peak; memory is per pod.
     */
    private record Load(double peakCpuCores, long memoryPerPodBytes, long peakTransmitBytesPerSecond) {
    }

    private static final Map<String, Load> LOADS = Map.of(
            "frontend", new Load(0.36, 180 * MIB, 120_000),
            "checkout", new Load(0.6, 380 * MIB, 30_000),
            "payment", new Load(1.3, 420 * MIB, 16_000),
            "inventory", new Load(0.3, 700 * MIB, 10_000));

    private final Instant historyEnd;
    private final Instant paymentScaledAt;
    private final Instant volumesExpandedAt;
    private final Instant saleStart;
    private final Instant saleEnd;
    private final List<SimulatedPod> pods;

    private ClusterStory(Instant now) {
        this.historyEnd = now.truncatedTo(ChronoUnit.HOURS);
        this.paymentScaledAt = historyEnd.minus(PAYMENT_SCALED);
        this.volumesExpandedAt = historyEnd.minus(VOLUMES_EXPANDED);
        Instant saleDay = now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(SALE_DAYS_AGO));
        this.saleStart = saleDay.plus(Duration.ofHours(7));
        this.saleEnd = saleDay.plus(Duration.ofHours(23));
        Instant before = historyStart();
        List<SimulatedPod> cluster = new ArrayList<>();
        cluster.addAll(SimulatedPod.replicas("frontend", "web", 3, false, 0.25, 256 * MIB, before));
        cluster.addAll(SimulatedPod.replicas("checkout", "payments", 2, false, 0.5, 512 * MIB, before));
        List<SimulatedPod> payment = SimulatedPod.replicas("payment", "payments", 3, false, 0.5, 512 * MIB, before);
        cluster.addAll(payment.subList(0, 2));
        cluster.add(payment.get(2).startedAt(paymentScaledAt));
        cluster.addAll(SimulatedPod.replicas("inventory", "fulfilment", 2, true, 0.25, GIB, before));
        this.pods = List.copyOf(cluster);
    }

    /** The story as seen at {@code now}: its history ends at the hour {@code now} falls in. */
    static ClusterStory at(Instant now) {
        return new ClusterStory(now);
    }

    /** Every pod the cluster has run in the history and runs now. */
    List<SimulatedPod> pods() {
        return pods;
    }

    /** The first hour of the history. */
    Instant historyStart() {
        return historyEnd.minus(HISTORY);
    }

    /** The hour the history ends at (excluded): live samples take over from there. */
    Instant historyEnd() {
        return historyEnd;
    }

    Instant paymentScaledAt() {
        return paymentScaledAt;
    }

    Instant volumesExpandedAt() {
        return volumesExpandedAt;
    }

    /** The start of the flash sale's day (UTC). */
    Instant saleDay() {
        return saleStart.truncatedTo(ChronoUnit.DAYS);
    }

    /** The hourly samples of {@code pod} over the history, the counter of bytes sent starting at 0 at its first. */
    List<PodSample> history(SimulatedPod pod) {
        List<PodSample> samples = new ArrayList<>();
        long sent = 0;
        for (Instant t = historyStart(); t.isBefore(historyEnd); t = t.plus(Duration.ofHours(1))) {
            if (pod.runsAt(t)) {
                PodUsage usage = usage(pod, t);
                samples.add(new PodSample(t, usage, sent));
                sent += usage.transmitBytesPerSecond() * 3600;
            }
        }
        return samples;
    }

    /** What {@code pod} uses at {@code t}. */
    PodUsage usage(SimulatedPod pod, Instant t) {
        Load load = LOADS.get(pod.service());
        double demand = busyness(t) * (pod.service().equals("frontend") && onSale(t) ? SALE_FACTOR : 1);
        int replicas = replicas(pod.service(), t);
        Random noise = new Random(pod.podName().hashCode() * 31L + t.getEpochSecond());
        double cpu = load.peakCpuCores() * demand / replicas * (1 + 0.04 * noise.nextGaussian());
        long memory = Math.round(load.memoryPerPodBytes() * (0.9 + 0.1 * busyness(t)) * (1 + 0.02 * noise.nextGaussian()));
        long transmit = Math.round(load.peakTransmitBytesPerSecond() * demand / replicas
                * (1 + 0.05 * noise.nextGaussian()));
        long volume = pod.stateful() ? (t.isBefore(volumesExpandedAt) ? VOLUME_BEFORE : VOLUME_AFTER) : 0;
        return new PodUsage(Math.max(0.001, cpu), Math.max(MIB, memory), Math.max(0, transmit), volume);
    }

    /** Replicas of {@code service} running at {@code t}. */
    int replicas(String service, Instant t) {
        return (int) pods.stream().filter(p -> p.service().equals(service) && p.runsAt(t)).count();
    }

    private boolean onSale(Instant t) {
        return !t.isBefore(saleStart) && t.isBefore(saleEnd);
    }

    /**
     * The share of the peak in use at {@code t}: 0.35 at night, rising from 07:00 to a peak
     * at 14:30 and falling back by 22:00; weekends at 70 %.
     */
    static double busyness(Instant t) {
        ZonedDateTime utc = t.atZone(ZoneOffset.UTC);
        double hour = utc.getHour() + utc.getMinute() / 60.0;
        double day = hour >= 7 && hour <= 22 ? Math.sin(Math.PI * (hour - 7) / 15) : 0;
        boolean weekend = utc.getDayOfWeek() == DayOfWeek.SATURDAY || utc.getDayOfWeek() == DayOfWeek.SUNDAY;
        return (0.35 + 0.65 * day) * (weekend ? 0.7 : 1);
    }
}
