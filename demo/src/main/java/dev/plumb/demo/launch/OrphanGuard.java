package dev.plumb.demo.launch;

/**
 * Ends a demo JVM when the process that launched it is gone, so that a {@code plumb demo} killed
 * with SIGKILL (whose shutdown hook never runs) leaves no services behind.
 */
public final class OrphanGuard {

    static final String PARENT_PID = "PLUMB_DEMO_PARENT_PID";

    private OrphanGuard() {
    }

    /** Watches the launcher named by {@code PLUMB_DEMO_PARENT_PID}; without it (run by hand) does nothing. */
    public static void exitWithLauncher() {
        String pid = System.getenv(PARENT_PID);
        if (pid == null || pid.isBlank()) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresentOrElse(
                launcher -> launcher.onExit().thenRun(() -> System.exit(0)),
                () -> System.exit(0));
    }
}
