package dev.plumb.agent.logs;

import net.bytebuddy.asm.Advice;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.message.Message;

/**
 * Advice on the Log4j 2 methods an event passes once its level is enabled, in subclasses of
 * {@code AbstractLogger}: {@code log(Level, Marker, String, StackTraceElement, Message, Throwable)},
 * {@code logMessage} of the same shape (the LogBuilder path) and {@code logMessage(String, Level,
 * Marker, Message, Throwable)} (adapters). Their arguments differ in order, so they are picked
 * by type. Compiled against the Log4j API but never loaded by the agent: it is inlined into the
 * application's Log4j classes.
 */
final class Log4jLogAdvice {

    private Log4jLogAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static boolean enter(@Advice.This org.apache.logging.log4j.Logger logger, @Advice.AllArguments Object[] arguments) {
        if (LogCapture.enterLog()) {
            try {
                Level level = null;
                Message message = null;
                Throwable thrown = null;
                for (Object argument : arguments) {
                    if (argument instanceof Level) {
                        level = (Level) argument;
                    } else if (argument instanceof Message) {
                        message = (Message) argument;
                    } else if (argument instanceof Throwable) {
                        thrown = (Throwable) argument;
                    }
                }
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
