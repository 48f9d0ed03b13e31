package dev.plumb.demo.checkout;

import dev.plumb.Monitor;
import dev.plumb.demo.web.DeclinedException;
import java.io.IOException;

/** Places an order: price it, reserve the stock, charge the card. */
final class Checkout {

    private final Pricing pricing = new Pricing();
    private final InventoryClient inventory;
    private final PaymentClient payment;

    Checkout(InventoryClient inventory, PaymentClient payment) {
        this.inventory = inventory;
        this.payment = payment;
    }

    @Monitor(ignoreExceptions = DeclinedException.class)
    public String placeOrder(@Monitor.Attr("order.id") String orderId,
                             @Monitor.Attr("order.sku") String sku,
                             int quantity) throws IOException, InterruptedException {
        long amount = pricing.quote(sku, quantity);
        inventory.reserve(sku, quantity);
        return payment.charge(orderId, amount);
    }
}
