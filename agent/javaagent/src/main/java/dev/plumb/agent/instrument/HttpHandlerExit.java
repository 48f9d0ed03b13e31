package dev.plumb.agent.instrument;

import com.sun.net.httpserver.HttpExchange;
import dev.plumb.agent.runtime.Call;
import dev.plumb.agent.runtime.MonitoredMethods;
import net.bytebuddy.asm.Advice;

/** Exit advice of an application's {@code HttpHandler.handle(HttpExchange)}. */
final class HttpHandlerExit {

    private HttpHandlerExit() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@MethodId int id, @Advice.Enter Call call, @Advice.Local("start") long start,
            @Advice.Argument(0) HttpExchange exchange, @Advice.Thrown Throwable thrown) {
        MonitoredMethods.get(id).exitHttp(call, start, exchange, thrown);
    }
}
