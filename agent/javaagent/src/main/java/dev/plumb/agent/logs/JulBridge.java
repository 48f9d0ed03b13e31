package dev.plumb.agent.logs;

import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The one agent class that lives in the bootstrap class loader: {@code java.util.logging.Logger}
 * is a bootstrap class, so the advice inlined into it can only reach a class found there. The
 * agent injects this class into the bootstrap loader and installs its implementation in
 * {@link #installed}; it must therefore refer to nothing but JDK types.
 */
public abstract class JulBridge {

    /** The capture that JUL's advice hands records to; null until log capture is on. */
    public static volatile JulBridge installed;

    /**
     * Called on entry of {@code Logger.log(LogRecord)}.
     *
     * @return true when {@link #exit()} must be called when the method ends
     */
    public abstract boolean enter(Logger logger, LogRecord record);

    /** Called on exit of {@code Logger.log(LogRecord)} after {@link #enter} returned true. */
    public abstract void exit();
}
