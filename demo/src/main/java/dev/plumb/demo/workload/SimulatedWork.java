package dev.plumb.demo.workload;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Latency and failures that make the demo's dashboards look like a real system's: most calls
 * near their typical time, a long tail, and a few slow outliers.
 */
public final class SimulatedWork {

    private SimulatedWork() {
    }

    /**
     * Sleeps around {@code typicalMs}: a log-normal spread, and with probability 3% an outlier
     * of five to ten times the typical time.
     */
    public static void pause(int typicalMs) throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        double spread = Math.exp(random.nextGaussian() * 0.35);
        double millis = typicalMs * spread;
        if (random.nextDouble() < 0.03) {
            millis = typicalMs * (5 + random.nextDouble() * 5);
        }
        Thread.sleep(Math.max(1, Math.round(millis)));
    }

    /** True with the given probability, for injecting failures. */
    public static boolean chance(double probability) {
        return ThreadLocalRandom.current().nextDouble() < probability;
    }
}
