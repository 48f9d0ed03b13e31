package dev.plumb.demo.checkout;

import dev.plumb.Monitor;
import dev.plumb.demo.web.Downstream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Checkout's calls to the inventory service. */
final class InventoryClient {

    private final Downstream inventory;

    InventoryClient(URI base) {
        this.inventory = new Downstream(base);
    }

    @Monitor(kind = Monitor.Kind.CLIENT)
    public void reserve(@Monitor.Attr("inventory.sku") String sku, int quantity) throws IOException, InterruptedException {
        inventory.get("/reserve?sku=" + URLEncoder.encode(sku, StandardCharsets.UTF_8) + "&qty=" + quantity);
    }
}
