package dev.plumb.demo.payment;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.plumb.demo.web.DemoServer;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /charge?order=&amount=}: 200 with a charge id, 402 when declined, 502 when the gateway fails. */
final class PaymentHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(PaymentHandler.class);

    private final CardProcessor processor = new CardProcessor();

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Map<String, String> query = DemoServer.query(exchange);
        String orderId = query.getOrDefault("order", "unknown");
        try {
            long amount = Long.parseLong(query.getOrDefault("amount", "0"));
            String chargeId = processor.charge(orderId, amount);
            log.info("charged order {} amount {} as {}", orderId, amount, chargeId);
            DemoServer.respond(exchange, 200, "{\"charge\":" + DemoServer.quoted(chargeId) + "}");
        } catch (CardDeclinedException e) {
            log.warn("order {} declined: {}", orderId, e.getMessage());
            DemoServer.respondError(exchange, 402, e.getMessage());
        } catch (NumberFormatException e) {
            DemoServer.respondError(exchange, 400, "amount must be a whole number of cents");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            DemoServer.respondError(exchange, 503, "shutting down");
        } catch (RuntimeException e) {
            log.error("charge for order {} failed", orderId, e);
            DemoServer.respondError(exchange, 502, e.getMessage());
        }
    }
}
