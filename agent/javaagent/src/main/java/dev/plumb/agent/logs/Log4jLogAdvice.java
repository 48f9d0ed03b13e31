package dev.plumb.agent.logs;

import net.bytebuddy.asm.Advice;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.message.Message;

/**
 * Advice on Log4j 2's {@code log(Level, Marker, String, StackTraceElement, Message, Throwable)}
 * and {@code logMessage} of the same shape (the LogBuilder path), in subclasses of
 * {@code AbstractLogger}; both run after the level check. Compiled against the Log4j API but
 * never loaded by the agent: it is inlined into the application's Log4j classes.
 */
final class Log4jLogAdvice {

    private Log4jLogAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static boolean enter(@Advice.This org.apache.logging.log4j.Logger logger, @Advice.Argument(0) Level level,
            @Advice.Argument(4) Message message, @Advice.Argument(5) Throwable thrown) {
        if (LogCapture.enterLog()) {
            try {
                LogCapture.log4j(level.intLevel(), level.name(), logger.getName(),
                        message == null ? null : message.getFormattedMessage(),
                        thrown != null || message == null ? thrown : message.getThrowable());
            } catch (Throwable unreadable) {
                LogCapture.failed(unreadable);
            }
        }
        return true;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter boolean entered) {
        if (entered) {
            LogCapture.exitLog();
        }
    }
}
