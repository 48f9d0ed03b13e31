package dev.plumb.demo.checkout;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.plumb.demo.web.DeclinedException;
import dev.plumb.demo.web.DemoServer;
import dev.plumb.demo.web.DownstreamException;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /checkout?order=&sku=&qty=}: passes a decline (402) through; any other failure is a 502. */
final class CheckoutHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(CheckoutHandler.class);

    private final Checkout checkout;

    CheckoutHandler(Checkout checkout) {
        this.checkout = checkout;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Map<String, String> query = DemoServer.query(exchange);
        String orderId = query.getOrDefault("order", "unknown");
        try {
            String receipt = checkout.placeOrder(orderId, query.getOrDefault("sku", "unknown"),
                    Integer.parseInt(query.getOrDefault("qty", "1")));
            DemoServer.respond(exchange, 200, receipt);
        } catch (NumberFormatException e) {
            DemoServer.respondError(exchange, 400, "qty must be a whole number");
        } catch (DeclinedException e) {
            log.info("order {} declined", orderId);
            DemoServer.respondError(exchange, 402, e.getMessage());
        } catch (DownstreamException e) {
            log.error("order {} failed", orderId, e);
            DemoServer.respondError(exchange, 502, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            DemoServer.respondError(exchange, 503, "shutting down");
        } catch (IOException e) {
            log.error("order {} failed: a downstream service is unreachable", orderId, e);
            DemoServer.respondError(exchange, 502, e.toString());
        }
    }
}
