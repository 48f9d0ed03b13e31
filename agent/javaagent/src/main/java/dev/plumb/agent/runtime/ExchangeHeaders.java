package dev.plumb.agent.runtime;

import com.sun.net.httpserver.HttpExchange;
import io.opentelemetry.context.propagation.TextMapGetter;

/** Reads W3C trace context headers from a JDK HTTP server request. */
enum ExchangeHeaders implements TextMapGetter<HttpExchange> {
    INSTANCE;

    @Override
    public Iterable<String> keys(HttpExchange exchange) {
        return exchange.getRequestHeaders().keySet();
    }

    @Override
    public String get(HttpExchange exchange, String key) {
        return exchange == null ? null : exchange.getRequestHeaders().getFirst(key);
    }
}
