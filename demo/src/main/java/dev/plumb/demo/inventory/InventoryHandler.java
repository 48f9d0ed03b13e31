package dev.plumb.demo.inventory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.plumb.demo.web.DemoServer;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /reserve?sku=&qty=}: 200 with the stock left, 409 when out of stock. */
final class InventoryHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(InventoryHandler.class);

    private final StockLedger ledger = new StockLedger();

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Map<String, String> query = DemoServer.query(exchange);
        String sku = query.getOrDefault("sku", "unknown");
        try {
            int left = ledger.reserve(sku, Integer.parseInt(query.getOrDefault("qty", "1")));
            DemoServer.respond(exchange, 200, "{\"sku\":" + DemoServer.quoted(sku) + ",\"left\":" + left + "}");
        } catch (NumberFormatException e) {
            DemoServer.respondError(exchange, 400, "qty must be a whole number");
        } catch (OutOfStockException e) {
            log.error("reservation of {} failed", sku, e);
            DemoServer.respondError(exchange, 409, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            DemoServer.respondError(exchange, 503, "shutting down");
        }
    }
}
