package dev.plumb.agent.instrument;

import com.sun.net.httpserver.HttpExchange;
import dev.plumb.agent.runtime.Call;
import dev.plumb.agent.runtime.MonitoredMethods;
import net.bytebuddy.asm.Advice;

/** Entry advice of an application's {@code HttpHandler.handle(HttpExchange)}. */
final class HttpHandlerEnter {

    private HttpHandlerEnter() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Call enter(@MethodId int id, @Advice.Argument(0) HttpExchange exchange, @Advice.Local("start") long start) {
        start = System.nanoTime();
        return MonitoredMethods.get(id).enterHttp(start, exchange);
    }
}
