package dev.plumb.agent.runtime;

import java.util.Arrays;

/**
 * The table of every instrumented method. Instrumented code refers to its entry by an index
 * fixed when the class was transformed, so a call finds its resolved names, options and
 * histogram series with one array read.
 */
public final class MonitoredMethods {

    private static volatile MonitoredMethod[] table = new MonitoredMethod[256];
    private static int size;

    private MonitoredMethods() {
    }

    /** Adds a method and returns its index for the advice to bind. */
    public static synchronized int register(MonitoredMethod method) {
        MonitoredMethod[] current = table;
        if (size == current.length) {
            current = Arrays.copyOf(current, size * 2);
        }
        current[size] = method;
        table = current;
        return size++;
    }

    /** The method registered under {@code id}. */
    public static MonitoredMethod get(int id) {
        return table[id];
    }

    /** How many methods are instrumented. */
    public static synchronized int size() {
        return size;
    }
}
