package dev.plumb.demo.checkout;

import dev.plumb.demo.web.DemoServer;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** The checkout service: frontend calls it, it calls inventory and payment. */
public final class CheckoutService {

    private CheckoutService() {
    }

    public static void main(String[] args) throws Exception {
        Checkout checkout = new Checkout(
                new InventoryClient(DemoServer.requiredUrl("PLUMB_DEMO_INVENTORY_URL")),
                new PaymentClient(DemoServer.requiredUrl("PLUMB_DEMO_PAYMENT_URL")));
        DemoServer server = DemoServer.start(Map.of("/checkout", new CheckoutHandler(checkout)));
        LoggerFactory.getLogger(CheckoutService.class).info("checkout listening on 127.0.0.1:{}", server.port());
    }
}
