package dev.plumb.agent.logs;

import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.bytebuddy.asm.Advice;

/** Advice on {@code java.util.logging.Logger.log(LogRecord)}, the method every JUL call ends in. */
final class JulLogAdvice {

    private JulLogAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static boolean enter(@Advice.This Logger logger, @Advice.Argument(0) LogRecord record) {
        JulBridge bridge = JulBridge.installed;
        return bridge != null && bridge.enter(logger, record);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter boolean entered) {
        if (entered) {
            JulBridge.installed.exit();
        }
    }
}
