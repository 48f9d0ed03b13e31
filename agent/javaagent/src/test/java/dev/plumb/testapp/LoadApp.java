package dev.plumb.testapp;

/** Many monitored calls, some failing, then heap and timing figures; for the collector-down test. */
public final class LoadApp {

    private LoadApp() {
    }

    public static void main(String[] args) {
        int calls = Integer.parseInt(args[0]);
        Payments payments = new Payments();
        long start = System.nanoTime();
        int failures = 0;
        for (int i = 0; i < calls; i++) {
            try {
                payments.charge(i);
            } catch (IllegalStateException e) {
                failures++;
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        long usedMb = (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
        System.out.println("LOAD calls=" + calls + " failures=" + failures + " millis=" + millis + " heapMb=" + usedMb);
    }
}
