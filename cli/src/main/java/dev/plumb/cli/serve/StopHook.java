package dev.plumb.cli.serve;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a command running until SIGINT/SIGTERM (or an interrupt of the waiting thread) and then
 * closes what it started, last started first, exactly once: the collector flushes what it has
 * accepted before the JVM exits.
 */
public final class StopHook {

    private static final Logger log = LoggerFactory.getLogger(StopHook.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook = new Thread(this::closeAll, "plumb-stop");
    private boolean closing;

    private StopHook() {
    }

    public static StopHook install() {
        StopHook stopHook = new StopHook();
        Runtime.getRuntime().addShutdownHook(stopHook.hook);
        return stopHook;
    }

    /** Closes {@code resource} on stop, before anything registered earlier. */
    public synchronized <T extends AutoCloseable> T closeOnStop(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Waits for the stop signal; an interrupt counts as one and closes everything here. */
    public void await() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeAll();
            removeHook();
        }
    }

    /** Stops now, without a signal: used when startup fails half way. */
    public void stopNow() {
        closeAll();
        removeHook();
    }

    private void closeAll() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        AutoCloseable resource;
        while ((resource = poll()) != null) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", resource, e.toString());
            }
        }
        closed.countDown();
    }

    private synchronized AutoCloseable poll() {
        return resources.poll();
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The JVM is exiting and runs the hook itself; nothing left to undo.
        }
    }
}
