package dev.plumb.demo.frontend;

import dev.plumb.Monitor;
import dev.plumb.demo.web.DeclinedException;
import dev.plumb.demo.workload.SimulatedWork;
import java.io.IOException;
import java.util.List;

/** What the shop's web pages do: show the catalogue and place orders. */
final class Storefront {

    static final List<String> CATALOG = List.of("SKU-KETTLE", "SKU-TEAPOT", "SKU-MUG", "SKU-GRINDER", "SKU-FILTER");

    private final CheckoutClient checkout;

    Storefront(CheckoutClient checkout) {
        this.checkout = checkout;
    }

    @Monitor
    public List<String> browseCatalog(@Monitor.Attr("catalog.page") int page) throws InterruptedException {
        SimulatedWork.pause(35);
        if (SimulatedWork.chance(0.02)) {
            throw new IllegalStateException("catalog cache for page " + page + " is being rebuilt");
        }
        return CATALOG;
    }

    @Monitor(ignoreExceptions = DeclinedException.class)
    public String placeOrder(@Monitor.Attr("order.id") String orderId,
                             @Monitor.Attr("order.sku") String sku,
                             @Monitor.Attr("order.quantity") int quantity) throws IOException, InterruptedException {
        SimulatedWork.pause(15);
        return checkout.submit(orderId, sku, quantity);
    }
}
