package dev.plumb.demo.checkout;

import dev.plumb.Monitor;
import dev.plumb.demo.web.DeclinedException;
import dev.plumb.demo.web.Downstream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Checkout's calls to the payment service. */
final class PaymentClient {

    private final Downstream payment;

    PaymentClient(URI base) {
        this.payment = new Downstream(base);
    }

    @Monitor(kind = Monitor.Kind.CLIENT, ignoreExceptions = DeclinedException.class)
    public String charge(@Monitor.Attr("order.id") String orderId, long amountCents) throws IOException, InterruptedException {
        return payment.get("/charge?order=" + URLEncoder.encode(orderId, StandardCharsets.UTF_8) + "&amount=" + amountCents);
    }
}
