package dev.plumb.demo.frontend;

import dev.plumb.Monitor;
import dev.plumb.demo.web.DeclinedException;
import dev.plumb.demo.web.Downstream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The frontend's calls to the checkout service. */
final class CheckoutClient {

    private final Downstream checkout;

    CheckoutClient(URI base) {
        this.checkout = new Downstream(base);
    }

    @Monitor(kind = Monitor.Kind.CLIENT, ignoreExceptions = DeclinedException.class)
    public String submit(@Monitor.Attr("order.id") String orderId, String sku, int quantity) throws IOException, InterruptedException {
        return checkout.get("/checkout?order=" + URLEncoder.encode(orderId, StandardCharsets.UTF_8)
                + "&sku=" + URLEncoder.encode(sku, StandardCharsets.UTF_8) + "&qty=" + quantity);
    }
}
