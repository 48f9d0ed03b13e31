package dev.plumb.demo.frontend;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.plumb.demo.web.DeclinedException;
import dev.plumb.demo.web.DemoServer;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /catalog?page=} and {@code GET /buy?sku=&qty=}, the shop's two pages. */
final class FrontendHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);

    private final Storefront storefront;

    FrontendHandler(Storefront storefront) {
        this.storefront = storefront;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Map<String, String> query = DemoServer.query(exchange);
        try {
            switch (exchange.getRequestURI().getPath()) {
                case "/catalog" -> {
                    String items = storefront.browseCatalog(Integer.parseInt(query.getOrDefault("page", "1"))).stream()
                            .map(DemoServer::quoted).collect(Collectors.joining(","));
                    DemoServer.respond(exchange, 200, "{\"items\":[" + items + "]}");
                }
                case "/buy" -> buy(exchange, query);
                default -> DemoServer.respondError(exchange, 404, "try /catalog or /buy?sku=SKU-MUG&qty=1");
            }
        } catch (NumberFormatException e) {
            DemoServer.respondError(exchange, 400, "page and qty must be whole numbers");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            DemoServer.respondError(exchange, 503, "shutting down");
        } catch (RuntimeException e) {
            log.error("{} failed", exchange.getRequestURI().getPath(), e);
            DemoServer.respondError(exchange, 500, e.getMessage());
        }
    }

    private void buy(HttpExchange exchange, Map<String, String> query) throws IOException, InterruptedException {
        String orderId = "ord-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            String receipt = storefront.placeOrder(orderId, query.getOrDefault("sku", "SKU-MUG"),
                    Integer.parseInt(query.getOrDefault("qty", "1")));
            log.info("order {} placed", orderId);
            DemoServer.respond(exchange, 200, receipt);
        } catch (DeclinedException e) {
            log.info("order {} declined by the card issuer", orderId);
            DemoServer.respondError(exchange, 402, "payment declined");
        } catch (IOException e) {
            // DownstreamException (checkout answered 5xx) or checkout unreachable.
            log.error("order {} failed", orderId, e);
            DemoServer.respondError(exchange, 502, e.getMessage());
        }
    }
}
