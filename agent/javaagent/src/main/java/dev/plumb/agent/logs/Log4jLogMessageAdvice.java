package dev.plumb.agent.logs;

import net.bytebuddy.asm.Advice;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.message.Message;

/**
 * Advice on Log4j 2's {@code logMessage(String fqcn, Level, Marker, Message, Throwable)}, the
 * entry that adapters such as {@code log4j-slf4j2-impl} call once they checked the level.
 */
final class Log4jLogMessageAdvice {

    private Log4jLogMessageAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static boolean enter(@Advice.This org.apache.logging.log4j.Logger logger, @Advice.Argument(1) Level level,
            @Advice.Argument(3) Message message, @Advice.Argument(4) Throwable thrown) {
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
