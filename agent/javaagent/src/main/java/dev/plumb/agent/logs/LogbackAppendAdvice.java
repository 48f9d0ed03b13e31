package dev.plumb.agent.logs;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import net.bytebuddy.asm.Advice;

/**
 * Advice on Logback's {@code Logger.callAppenders(ILoggingEvent)}, reached once per event that
 * passed the level and turbo filters. It is inlined into the application's Logback classes, so
 * it is compiled against Logback but never loaded by the agent.
 */
final class LogbackAppendAdvice {

    private LogbackAppendAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static boolean enter(@Advice.Argument(0) ILoggingEvent event) {
        if (LogCapture.enterLog()) {
            try {
                IThrowableProxy proxy = event.getThrowableProxy();
                Throwable thrown = proxy instanceof ThrowableProxy ? ((ThrowableProxy) proxy).getThrowable() : null;
                LogCapture.logback(event.getLevel().toInt(), event.getLevel().toString(), event.getLoggerName(),
                        event.getFormattedMessage(), event.getTimeStamp(), thrown);
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
