package dev.plumb.agent.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the agent's own failures go: the first is printed with its stack trace, the rest are
 * only counted, so a bug in the agent costs the application one line on stderr, not a flood.
 */
public final class AgentErrors {

    private static final AtomicBoolean REPORTED = new AtomicBoolean();
    private static final AtomicLong COUNT = new AtomicLong();

    private AgentErrors() {
    }

    /** Records an internal error; never throws. */
    public static void report(String where, Throwable error) {
        COUNT.incrementAndGet();
        if (REPORTED.compareAndSet(false, true)) {
            System.err.println("[plumb-agent] ERROR internal error in " + where
                    + "; the application is unaffected, telemetry may be incomplete."
                    + " Further internal errors are counted, not printed.");
            error.printStackTrace();
        }
    }

    /** How many internal errors occurred since start. */
    public static long count() {
        return COUNT.get();
    }
}
